import { catalogue, type ErrorCode } from './catalogue.js';
import { format, type Lang, type Messages } from './i18n.js';

/** One problem inside a request, addressed by JSON pointer (a field, a document element). */
export interface ErrorDetail {
  pointer: string;
  code: string;
  params?: Record<string, unknown>;
  /** Set when the detail's code lives outside the detail catalogue (e.g. a validator that renders its own). */
  message?: Messages;
}

/** Thrown at the HTTP edge; engines return lists of issues instead. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, unknown> = {},
    readonly details: ErrorDetail[] = [],
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(format(catalogue[code].en, params));
    this.name = 'AppError';
    this.status = catalogue[code].status;
  }

  body(lang: Lang, detailMessages: Readonly<Record<string, Messages>>) {
    return {
      code: this.code,
      message: format(catalogue[this.code][lang], this.params),
      ...this.extra,
      ...(this.details.length
        ? {
            details: this.details.map((d) => ({
              pointer: d.pointer,
              code: d.code,
              message: format((d.message ?? detailMessages[d.code] ?? { 'zh-CN': d.code, en: d.code })[lang], d.params),
              ...(d.params ? { params: d.params } : {}),
            })),
          }
        : {}),
    };
  }
}
