/**
 * Rows to Parquet bytes and back, with hyparquet-writer and hyparquet. The bytes depend only on the rows
 * and the dataset's columns (no clock, no random, a fixed `created_by`), so that archiving the same hour
 * twice yields the same object: the archive's idempotence rests on that.
 */
import { parquetReadObjects } from "hyparquet";
import { ByteWriter, parquetWrite } from "hyparquet-writer";
import type { ColumnSpec, Dataset, Row } from "./datasets.js";

/** `created_by` of every object: the writer, not a version of ours, so that a release keeps old bytes. */
export const CREATED_BY = "hybrid-data-pipeline archive (hyparquet-writer)";

type SchemaElement = NonNullable<Parameters<typeof parquetWrite>[0]["schema"]>[number];
type ColumnData = Parameters<typeof parquetWrite>[0]["columnData"][number];

function schemaOf(column: ColumnSpec): SchemaElement[] {
  const repetition_type = column.nullable ? "OPTIONAL" : "REQUIRED";
  switch (column.type) {
    case "string":
      return [{ name: column.name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type }];
    case "double":
      return [{ name: column.name, type: "DOUBLE", repetition_type }];
    case "int64":
      return [{ name: column.name, type: "INT64", repetition_type }];
    case "timestamp":
      return [
        {
          name: column.name,
          type: "INT64",
          logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MICROS" },
          repetition_type,
        },
      ];
    case "list":
      // The standard three-level LIST of required UTF-8 elements.
      return [
        { name: column.name, repetition_type, converted_type: "LIST", num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        { name: "element", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
      ];
  }
}

function columnValues(column: ColumnSpec, rows: readonly Row[]): ColumnData["data"] {
  const { name, type } = column;
  if (type === "int64" || type === "timestamp") {
    return rows.map((row) => {
      const value = row[name];
      return value === null || value === undefined ? null : BigInt(value as number | string);
    });
  }
  return rows.map((row) => (row[name] ?? null) as never);
}

/** Parquet bytes of `rows` (already in the dataset's order), one row group. */
export function encodeParquet(dataset: Dataset, rows: readonly Row[]): Uint8Array {
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    columnData: dataset.columns.map((column) => ({
      name: column.name,
      data: columnValues(column, rows),
      nullable: column.nullable,
    })),
    schema: [
      { name: "root", num_children: dataset.columns.length },
      ...dataset.columns.flatMap((column) => schemaOf(column)),
    ],
    codec: "SNAPPY",
    // One row group per object: an hour is small, and a reader then reads one footer and one group.
    rowGroupSize: Math.max(rows.length, 1),
    kvMetadata: [
      { key: "hdp.dataset", value: dataset.name },
      { key: "hdp.schema_version", value: String(dataset.version) },
    ],
    createdBy: CREATED_BY,
  });
  return new Uint8Array(writer.getBuffer());
}

/** The rows of a Parquet object written by `encodeParquet`, instants and int64 as numbers. */
export async function decodeParquet(dataset: Dataset, bytes: Uint8Array): Promise<Row[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const objects = (await parquetReadObjects({
    file,
    columns: dataset.columns.map((c) => c.name),
    parsers: { timestampFromMicroseconds: (micros: bigint) => Number(micros) },
  })) as Record<string, unknown>[];
  return objects.map((object) => {
    const row: Row = {};
    for (const column of dataset.columns) {
      const value = object[column.name];
      row[column.name] =
        value === undefined || value === null
          ? null
          : typeof value === "bigint"
            ? Number(value)
            : (value as Row[string]);
    }
    return row;
  });
}
