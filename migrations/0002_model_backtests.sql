CREATE TABLE `model_backtests` (
	`profile_id` integer NOT NULL,
	`mode` text NOT NULL,
	`run` text NOT NULL,
	`model_ids` text NOT NULL,
	`computed_at` integer NOT NULL,
	`body` text NOT NULL,
	PRIMARY KEY(`profile_id`, `mode`, `run`),
	FOREIGN KEY (`profile_id`) REFERENCES `trading_profiles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `model_evaluations` (
	`model_id` integer PRIMARY KEY NOT NULL,
	`times` text NOT NULL,
	`mean` text NOT NULL,
	`sigma` text NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `ml_models`(`id`) ON UPDATE no action ON DELETE cascade
);
