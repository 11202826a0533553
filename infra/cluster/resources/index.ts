export * from "./nodes.js";
export * from "./hybrid-cluster.js";
export { declareObject } from "./kubernetes-objects.js";
