import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";

export const SERVER_ACTION_BODY_LIMIT: number;
export function isServerActionRequest(req: IncomingMessage): boolean;
export function isSameOrigin(headers: IncomingHttpHeaders): boolean;
export function readLimitedBody(req: IncomingMessage, limit: number): Promise<Buffer | null>;
export function malformedActionBody(headers: IncomingHttpHeaders, body: Buffer): Promise<string | null>;
export function withBody(req: IncomingMessage, body: Buffer): IncomingMessage;
export function refuse(req: IncomingMessage, res: ServerResponse, status: number, message: string): void;
export function checkServerActionRequest(req: IncomingMessage, res: ServerResponse): Promise<IncomingMessage | null>;
