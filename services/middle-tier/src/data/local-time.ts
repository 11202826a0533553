import { EXCHANGE_TIME_ZONE } from "@hdp/shared";

/**
 * SQL writing the timestamptz `column` as exchange-local wall-clock time, `YYYY-MM-DDTHH:MM:SS`
 * (ISO 8601 without an offset): the `datetime` of the original API's answers.
 */
export function exchangeLocalTimeSql(column: string): string {
  return `to_char(${column} AT TIME ZONE '${EXCHANGE_TIME_ZONE}', 'YYYY-MM-DD"T"HH24:MI:SS')`;
}
