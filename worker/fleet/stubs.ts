// The fleet's two Durable Objects by name: one TrainerFleet, one TrainerContainer per slot.
export const trainerFleet = (env: Env) => env.TRAINER_FLEET.get(env.TRAINER_FLEET.idFromName("fleet"));

export const trainerContainer = (env: Env, slot: number) =>
  env.TRAINER_CONTAINER.get(env.TRAINER_CONTAINER.idFromName(`slot-${slot}`));
