export * from "./node-model.js";
export * from "./node-metadata.js";
export * from "./k3s-config.js";
export * from "./bootstrap-script.js";
export * from "./cloud-init.js";
export * from "./kilo-manifests.js";
export * from "./firewall-rules.js";
export * from "./topology-diagram.js";
