import { FIELD_TYPES, type FieldType, type FieldTypeDef } from './field-type.js';
import { address } from './address.js';
import { autonumber } from './autonumber.js';
import { boolean } from './boolean.js';
import { currency } from './currency.js';
import { date } from './date.js';
import { datetime } from './datetime.js';
import { decimal } from './decimal.js';
import { email } from './email.js';
import { file } from './file.js';
import { formula } from './formula.js';
import { integer } from './integer.js';
import { lookup } from './lookup.js';
import { multiselect } from './multiselect.js';
import { percent } from './percent.js';
import { phone } from './phone.js';
import { relation } from './relation.js';
import { richtext } from './richtext.js';
import { rollup } from './rollup.js';
import { select } from './select.js';
import { text } from './text.js';
import { textarea } from './textarea.js';
import { url } from './url.js';
import { user } from './user.js';

const definitions = {
  text, textarea, email, url, richtext, phone, integer, decimal, currency, percent, boolean, date, datetime,
  select, multiselect, relation, user, address, file, autonumber, formula, lookup, rollup,
} satisfies Record<FieldType, FieldTypeDef>;

/** The precise definitions (settings schemas included), for typing `FieldOf<T>`. */
export type FieldTypeDefs = typeof definitions;

/** Every field type, keyed by type: a type without a definition does not compile. */
export const fieldTypes: Readonly<Record<FieldType, FieldTypeDef>> = definitions;

export const isFieldType = (t: unknown): t is FieldType => typeof t === 'string' && (FIELD_TYPES as readonly string[]).includes(t);
