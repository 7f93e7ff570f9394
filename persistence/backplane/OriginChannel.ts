import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Redis pub/sub channel shared by processes, each message tagged with its sender's id so a process skips
 * its own (it acted on them when it published). Heard on a connection of its own (subscriber mode).
 * Message: `<origin>|<body>`.
 */
export class OriginChannel {
  private readonly origin = randomUUID();
  private subscriber?: Redis;

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Subscribes; `onRemote` gets the body of every message another process sends, and that process's id. */
  async start(onRemote: (body: string, origin: string) => void): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const sep = message.indexOf('|');
      const origin = sep > 0 ? message.slice(0, sep) : '';
      if (origin && origin !== this.origin) onRemote(message.slice(sep + 1), origin);
    });
    await this.subscriber.subscribe(this.channel);
  }

  /** Sends `body` to the other processes (fire and forget; a failure goes to `onError`). */
  publish(body: string): void {
    this.redis.publish(this.channel, `${this.origin}|${body}`).catch(this.onError);
  }

  async close(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
  }
}
