// Entry point of `pulumi up` / `pulumi preview`: read and validate the stack's config,
// check them against what the stack's last deployment recorded, declare the stack, export its outputs.
import { loadStack } from "./config/index.js";
import { defineStack } from "./program.js";

const { outputs } = defineStack(await loadStack());

export const kubeconfig = outputs.kubeconfig;
export const serverAddress = outputs.serverAddress;
export const nodes = outputs.nodes;
export const urls = outputs.urls;
export const kafkaUiUser = outputs.kafkaUiUser;
export const kafkaUiPassword = outputs.kafkaUiPassword;
export const grafanaAdminUser = outputs.grafanaAdminUser;
export const grafanaAdminPassword = outputs.grafanaAdminPassword;
export const deployed = outputs.deployed;
