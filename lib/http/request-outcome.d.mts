import type { ServerResponse } from "node:http";

export type RequestOutcome = { databaseUnreachable: boolean };
export function withRequestOutcome<T>(outcome: RequestOutcome, handle: () => T): T;
export function noteDatabaseUnreachable(): void;
export const DATABASE_RETRY_AFTER_SECONDS: number;
export function answerUnreachableAs503(res: ServerResponse, outcome: RequestOutcome): void;
