export * from "./archiver.js";
export * from "./config.js";
export * from "./datasets.js";
export * from "./layout.js";
export * from "./parquet.js";
export * from "./reader.js";
export * from "./restore.js";
export * from "./store.js";
