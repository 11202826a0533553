// Cluster & nodes: every node of the hybrid cluster (cloud, GPU workstation, Raspberry Pis) — readiness,
// CPU, memory, disk, the Pis' temperatures from the sensor agent, the GPU from dcgm-exporter, and the Kilo
// WireGuard tunnels between locations. Node-level series carry the node's name as label `node`.
import { GPU_RESOURCE } from "../../../cluster/nvidia-device-plugin.js";
import { HANDSHAKE_STALE_SECONDS } from "../alerts.js";
import { NODE_ROLE_METRIC_LABEL, WIREGUARD_EXPORTER } from "../contract.js";
import { buildDashboard, labelVariable, query, stat, timeseries, trafficLight } from "./panels.js";

const rate = (expr: string) => `rate(${expr}[$__rate_interval])`;
const node = 'node=~"$node"';
const gpu = GPU_RESOURCE.replace(/[^a-zA-Z0-9_]/g, "_");

export const clusterDashboard = () =>
  buildDashboard({
    uid: "hdp-cluster",
    title: "Cluster & nodes",
    description: "Nodes of every location, the Raspberry Pis, the GPU and the Kilo mesh.",
    variables: [labelVariable("node", "node", "kube_node_info", "Node")],
    rows: [
      {
        title: "Nodes",
        panels: [
          stat("Nodes Ready", query('sum(kube_node_status_condition{condition="Ready", status="true"})'), {
            span: 4,
          }),
          stat("Nodes", query("count(kube_node_info)"), { span: 4 }),
          stat(
            "Nodes by role",
            query(`count by (${NODE_ROLE_METRIC_LABEL}) (kube_node_labels)`, `{{${NODE_ROLE_METRIC_LABEL}}}`),
            {
              span: 16,
              description: "From the hdp.io/role label (server, worker, gpu, sensor).",
            },
          ),
          timeseries(
            "Ready, by node",
            [
              query(
                `max by (node) (kube_node_status_condition{condition="Ready", status="true", ${node}})`,
                "{{node}}",
              ),
            ],
            { min: 0, max: 1, span: 24 },
          ),
        ],
      },
      {
        title: "CPU, memory, disk",
        panels: [
          timeseries(
            "CPU busy",
            [
              query(
                `1 - avg by (node) (${rate(`node_cpu_seconds_total{mode="idle", ${node}}`)})`,
                "{{node}}",
              ),
            ],
            { unit: "percentunit", min: 0, max: 1 },
          ),
          timeseries(
            "Memory used",
            [
              query(
                `1 - max by (node) (node_memory_MemAvailable_bytes{${node}}) / max by (node) (node_memory_MemTotal_bytes{${node}})`,
                "{{node}}",
              ),
            ],
            { unit: "percentunit", min: 0, max: 1, thresholds: trafficLight(0.8, 0.9) },
          ),
          timeseries(
            "Root filesystem used",
            [
              query(
                `1 - max by (node) (node_filesystem_avail_bytes{mountpoint="/", ${node}}) / max by (node) (node_filesystem_size_bytes{mountpoint="/", ${node}})`,
                "{{node}}",
              ),
            ],
            { unit: "percentunit", min: 0, max: 1, thresholds: trafficLight(0.8, 0.9) },
          ),
          timeseries(
            "Network received and sent",
            [
              query(
                `sum by (node) (${rate(`node_network_receive_bytes_total{device!="lo", ${node}}`)})`,
                "{{node}} in",
              ),
              query(
                `-sum by (node) (${rate(`node_network_transmit_bytes_total{device!="lo", ${node}}`)})`,
                "{{node}} out",
              ),
            ],
            { unit: "Bps" },
          ),
        ],
      },
      {
        title: "Raspberry Pis",
        panels: [
          timeseries(
            "CPU temperature",
            [query("max by (device) (sensor_cpu_temperature_celsius)", "{{device}}")],
            {
              unit: "celsius",
              thresholds: trafficLight(70, 80),
              span: 8,
              description: "From the sensor agent; the firmware throttles from 80 °C.",
            },
          ),
          timeseries("Load (1 min)", [query("max by (device) (sensor_load1)", "{{device}}")], { span: 8 }),
          timeseries(
            "Since the last reading",
            [query("time() - max by (device) (sensor_last_reading_timestamp_seconds)", "{{device}}")],
            { unit: "s", span: 8 },
          ),
          timeseries(
            "Readings published and failed reads",
            [
              query(
                `sum by (device) (${rate("sensor_readings_published_total")}) * 60`,
                "{{device}} published",
              ),
              query(`sum by (device) (${rate("sensor_read_failures_total")}) * 60`, "{{device}} failed"),
            ],
            { description: "Per minute." },
          ),
          timeseries(
            "Thermal zones (node-exporter)",
            [query(`max by (node) (node_thermal_zone_temp{${node}})`, "{{node}}")],
            { unit: "celsius" },
          ),
        ],
      },
      {
        title: "GPU",
        panels: [
          stat("Allocatable GPUs", query(`sum(kube_node_status_allocatable{resource="${gpu}"})`), {
            span: 6,
          }),
          timeseries(
            "GPU utilisation",
            [query("max by (node, gpu) (DCGM_FI_DEV_GPU_UTIL)", "{{node}} GPU {{gpu}}")],
            {
              unit: "percent",
              min: 0,
              max: 100,
              span: 18,
            },
          ),
          timeseries(
            "GPU memory used",
            [query("max by (node, gpu) (DCGM_FI_DEV_FB_USED)", "{{node}} GPU {{gpu}}")],
            { unit: "decmbytes", span: 8 },
          ),
          timeseries(
            "GPU temperature",
            [query("max by (node, gpu) (DCGM_FI_DEV_GPU_TEMP)", "{{node}} GPU {{gpu}}")],
            { unit: "celsius", span: 8 },
          ),
          timeseries(
            "GPU power",
            [query("max by (node, gpu) (DCGM_FI_DEV_POWER_USAGE)", "{{node}} GPU {{gpu}}")],
            {
              unit: "watt",
              span: 8,
            },
          ),
        ],
      },
      {
        title: "Kilo mesh",
        panels: [
          timeseries(
            "Since the last WireGuard handshake, by peer",
            [
              query(
                `time() - max by (node, allowed_ips) (wireguard_latest_handshake_seconds{interface="${WIREGUARD_EXPORTER.interface}"})`,
                "{{node}} → {{allowed_ips}}",
              ),
            ],
            { unit: "s", thresholds: trafficLight(HANDSHAKE_STALE_SECONDS / 2, HANDSHAKE_STALE_SECONDS) },
          ),
          timeseries(
            "WireGuard traffic",
            [
              query(`sum by (node) (${rate("wireguard_received_bytes_total")})`, "{{node}} in"),
              query(`-sum by (node) (${rate("wireguard_sent_bytes_total")})`, "{{node}} out"),
            ],
            { unit: "Bps" },
          ),
          timeseries(
            "Peers and nodes Kilo knows",
            [
              query("max by (node) (kilo_peers)", "{{node}} peers"),
              query("max by (node) (kilo_nodes)", "{{node}} nodes"),
              query("max by (node) (kilo_leader)", "{{node}} leader"),
            ],
            { span: 12 },
          ),
          timeseries(
            "Kilo errors",
            [query(`sum by (node, event) (${rate("kilo_errors_total")})`, "{{node}} {{event}}")],
            { span: 12 },
          ),
        ],
      },
    ],
  });
