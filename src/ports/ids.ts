/** Source of decision ids (UUIDv7 in production, see adapters/decision-ids.ts). */
export interface IdGenerator {
  next(): string;
}
