import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Executor } from "@/db/client";
import { rateLimits } from "@/db/schema";

export type ThrottleRule = { name: string; points: number; durationSeconds: number };

/**
 * A named limit counted in the database (rate-limiter-flexible's Drizzle store), so it
 * holds across every app instance sharing the database.
 */
export class Throttle {
  private limiters = new WeakMap<Executor, RateLimiterDrizzle>();
  constructor(private rule: ThrottleRule) {}

  private limiter(db: Executor) {
    let limiter = this.limiters.get(db);
    if (!limiter) {
      limiter = new RateLimiterDrizzle({
        storeClient: db,
        schema: rateLimits,
        keyPrefix: this.rule.name,
        points: this.rule.points,
        duration: this.rule.durationSeconds,
        clearExpiredByTimeout: false,
      });
      this.limiters.set(db, limiter);
    }
    return limiter;
  }

  /** Seconds until the key may try again, or 0 when it is not blocked. */
  async blockedFor(db: Executor, key: string): Promise<number> {
    const res = await this.limiter(db).get(key);
    if (!res || res.consumedPoints < this.rule.points) return 0;
    return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  }

  /**
   * Counts an attempt (one atomic upsert) and says whether it is within the allowance.
   * Count before checking, so parallel attempts cannot all pass a read-only check.
   */
  async allow(db: Executor, key: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
    try {
      await this.limiter(db).consume(key);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      throw rejection;
    }
  }

  /** Gives one counted attempt back (a success that should not use up the allowance). */
  async refund(db: Executor, key: string) {
    const current = await this.limiter(db).get(key);
    if (current && current.consumedPoints > 0) await this.limiter(db).reward(key, 1);
  }

  async reset(db: Executor, key: string) {
    await this.limiter(db).delete(key);
  }
}

export function describeWait(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? "a minute" : `${minutes} minutes`;
}
