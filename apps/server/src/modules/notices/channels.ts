import type { FastifyBaseLogger } from 'fastify';
import { maskPhone, type MessageTopic } from '@nuanxin/shared';

/** Who an outbound copy goes to. */
export interface Recipient {
  userId: string;
  /** Null when the account has no phone (deleted, or a staff account without one). */
  phone: string | null;
}

export interface OutboundMessage {
  topic: MessageTopic;
  title: string;
  body: string;
  /** App-relative link; channels make it absolute with their own base URL. */
  link: string | null;
}

/**
 * The result of one attempt. `retry: false` is final (no phone, refused by the gateway for good);
 * `retry: true` is tried again later with a growing pause, until the outbox gives up.
 */
export type SendResult = { ok: true; providerId?: string } | { ok: false; error: string; retry: boolean };

/** An outbound way to reach a person: SMS, WeChat template message, or the console log. */
export interface MessageChannel {
  readonly name: string;
  send(to: Recipient, message: OutboundMessage): Promise<SendResult>;
}

/** The default outside production: writes each message to the server log, like the console SMS provider. */
export class ConsoleChannel implements MessageChannel {
  readonly name = 'console';
  constructor(private readonly log: Pick<FastifyBaseLogger, 'info'>) {}
  async send(to: Recipient, message: OutboundMessage): Promise<SendResult> {
    this.log.info({ channel: this.name, userId: to.userId, phone: maskPhone(to.phone), topic: message.topic, link: message.link }, `Message for ${maskPhone(to.phone) ?? to.userId}: ${message.title}`);
    return { ok: true };
  }
}

export interface GatewayOptions {
  /** The provider's HTTPS endpoint that takes one template message as JSON. */
  url: string;
  /** Sent as `Authorization: Bearer <key>`. */
  key: string;
  /** The template registered with the provider (SMS templates and WeChat templates are approved in advance). */
  templateId: string;
  /** Absolute base of links in messages, e.g. https://nuanxin.example.gov.cn */
  publicUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * A template-message gateway reached over HTTPS. SMS (短信) providers and WeChat template messages
 * (公众号/小程序 订阅消息) both take "template id + named parameters + recipient", so one class sends
 * both; `payload` shapes the body for each. 4xx answers are final, 5xx and network errors are retried.
 */
abstract class TemplateGatewayChannel implements MessageChannel {
  abstract readonly name: string;
  constructor(protected readonly options: GatewayOptions) {}
  protected abstract payload(to: Recipient & { phone: string }, message: OutboundMessage, link: string | null): Record<string, unknown>;

  async send(to: Recipient, message: OutboundMessage): Promise<SendResult> {
    if (!to.phone) return { ok: false, error: 'no phone number', retry: false };
    const link = message.link ? new URL(message.link, this.options.publicUrl).toString() : null;
    const doFetch = this.options.fetch ?? fetch;
    try {
      const res = await doFetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.key}` },
        body: JSON.stringify(this.payload({ ...to, phone: to.phone }, message, link)),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      const text = (await res.text()).slice(0, 500);
      if (res.ok) {
        const id = /"(?:id|msgid|bizId|messageId)"\s*:\s*"?([\w-]+)/i.exec(text)?.[1];
        return id ? { ok: true, providerId: id } : { ok: true };
      }
      return { ok: false, error: `HTTP ${res.status}: ${text}`, retry: res.status >= 500 || res.status === 429 };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err), retry: true };
    }
  }
}

/** SMS through a template gateway: the title and a short link (SMS templates have a length limit). */
export class SmsTemplateChannel extends TemplateGatewayChannel {
  readonly name = 'sms';
  protected payload(to: Recipient & { phone: string }, message: OutboundMessage, link: string | null) {
    return { phone: to.phone, templateId: this.options.templateId, params: { title: message.title.slice(0, 40), link: link ?? '' } };
  }
}

/** WeChat template message through the city's WeChat gateway, which maps the phone to the follower's openid. */
export class WechatTemplateChannel extends TemplateGatewayChannel {
  readonly name = 'wechat';
  protected payload(to: Recipient & { phone: string }, message: OutboundMessage, link: string | null) {
    return {
      phone: to.phone,
      template_id: this.options.templateId,
      url: link ?? undefined,
      data: { thing1: { value: message.title.slice(0, 20) }, thing2: { value: (message.body || message.title).slice(0, 20) }, time3: { value: new Date().toISOString() } },
    };
  }
}

export type ChannelName = 'console' | 'sms' | 'wechat';

/** The channel `MESSAGE_CHANNEL` names; the gateway ones need their URL, key and template (checked in config.ts). */
export function channelFromConfig(
  config: { MESSAGE_CHANNEL: ChannelName; MESSAGE_GATEWAY_URL?: string | undefined; MESSAGE_GATEWAY_KEY?: string | undefined; MESSAGE_TEMPLATE_ID?: string | undefined; PUBLIC_URL?: string | undefined },
  log: Pick<FastifyBaseLogger, 'info'>,
): MessageChannel {
  if (config.MESSAGE_CHANNEL === 'console') return new ConsoleChannel(log);
  const missing = (['MESSAGE_GATEWAY_URL', 'MESSAGE_GATEWAY_KEY', 'MESSAGE_TEMPLATE_ID'] as const).filter((k) => !config[k]);
  if (missing.length) throw new Error(`Invalid environment:\n  MESSAGE_CHANNEL=${config.MESSAGE_CHANNEL} needs ${missing.join(', ')}`);
  const options: GatewayOptions = {
    url: config.MESSAGE_GATEWAY_URL!,
    key: config.MESSAGE_GATEWAY_KEY!,
    templateId: config.MESSAGE_TEMPLATE_ID!,
    publicUrl: config.PUBLIC_URL ?? 'http://localhost:3000',
  };
  return config.MESSAGE_CHANNEL === 'sms' ? new SmsTemplateChannel(options) : new WechatTemplateChannel(options);
}
