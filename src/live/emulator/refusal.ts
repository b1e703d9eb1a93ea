/** A request refused at the door, as Alpaca answers it (HTTP status, Alpaca's code and message). */
export interface Refusal {
  readonly status: number;
  readonly code: number;
  readonly message: string;
  /** More fields of Alpaca's error body, beside code and message (e.g. `available` of an insufficient-qty refusal). */
  readonly extra?: Readonly<Record<string, unknown>>;
}
