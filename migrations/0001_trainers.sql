CREATE TABLE `trainers` (
	`id` text PRIMARY KEY NOT NULL,
	`last_seen` integer NOT NULL,
	`job_id` integer
);
