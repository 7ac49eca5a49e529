/** A refusal with a message a person can act on; whatever the change wrote is rolled back. */
export class ActionRefusal extends Error {}

export function refuse(message: string): never {
  throw new ActionRefusal(message);
}
