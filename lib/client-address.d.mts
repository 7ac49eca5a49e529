import type { IncomingHttpHeaders } from "node:http";

export function clientAddress(forwardedFor: string | undefined, socketAddress: string | undefined, hops: number): string;
export function trustForwardedHeaders(headers: IncomingHttpHeaders, socketAddress: string | undefined, hops: number): IncomingHttpHeaders;
