// docker-compose.yml and the local stack must be the same stack: same config files, same host
// ports, same pinned versions. No Docker engine here, so this reads the files.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { ENDPOINTS, PORTS, PROGRAMS, packageRoot, stackPaths, stackPorts } from "../../lib/stack/index.js";

interface ComposeService {
  image: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
}

const root = packageRoot();
const compose = parse(readFileSync(join(root, "docker-compose.yml"), "utf8")) as { services: Record<string, ComposeService> };
const services = compose.services;

function service(name: string): ComposeService {
  const s = services[name];
  if (s === undefined) throw new Error(`docker-compose.yml has no service '${name}'`);
  return s;
}

/** host-side file for a container path, from the service's bind mounts */
function mountedFrom(s: ComposeService, containerPath: string): string | undefined {
  for (const v of s.volumes ?? []) {
    const [host, container] = v.split(":");
    if (container === containerPath && host !== undefined && host.startsWith("./")) return join(root, host);
  }
  return undefined;
}

function configFiles(s: ComposeService): string[] {
  return (s.command ?? [])
    .filter((a) => a.startsWith("--config="))
    .map((a) => {
      const file = mountedFrom(s, a.slice("--config=".length));
      if (file === undefined) throw new Error(`${a} is not a bind-mounted file`);
      return file;
    });
}

/** The go.mod version of a module required by a wrapper module. */
function required(moduleDir: string, modulePath: string): string | undefined {
  const goMod = readFileSync(join(root, moduleDir, "go.mod"), "utf8");
  return new RegExp(`^\\s*${modulePath.replace(/\./g, "\\.")} (v\\S+)`, "m").exec(goMod)?.[1];
}

describe("docker-compose.yml against the local stack", function () {
  it("has exactly the three programs of the local stack", function () {
    expect(Object.keys(services).sort()).to.deep.equal(PROGRAMS.map((p) => p.name).sort());
  });

  it("publishes every local port, on loopback, to the same container port, and nothing else", function () {
    const published = Object.entries(services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => {
        const m = /^127\.0\.0\.1:(\d+):(\d+)$/.exec(p);
        expect(m, `${name}: ${p}`).to.not.equal(null);
        expect(m?.[1], `${name}: ${p}`).to.equal(m?.[2]);
        return { name, port: Number(m?.[1]) };
      }),
    );
    const local = PROGRAMS.flatMap((p) => p.ports.map((port) => ({ name: p.name, port: PORTS[port] })));
    const key = (x: { name: string; port: number }): string => `${x.name}:${x.port}`;
    expect(published.map(key).sort()).to.deep.equal(local.map(key).sort());
    expect(published.map((p) => p.port).sort()).to.deep.equal(stackPorts().map((p) => p.port).sort());
  });

  it("runs the collector and Jaeger on the same config files as the local stack", function () {
    const paths = stackPaths();
    const collector = configFiles(service("otel-collector"));
    expect(collector).to.deep.equal([paths.collectorConfig, join(root, "collector", "otel-collector.health-contrib.yaml")]);
    expect(configFiles(service("jaeger"))).to.deep.equal([paths.jaegerConfig]);
    expect(mountedFrom(service("jaeger"), service("jaeger").environment?.QUANTM_JAEGER_UI_CONFIG ?? "")).to.equal(paths.jaegerUiConfig);
    for (const file of [...collector, paths.jaegerConfig, paths.jaegerUiConfig, paths.collectorHealthConfig]) expect(existsSync(file), file).to.equal(true);
    // The local stack passes the shared file first, then its own health file.
    const local = PROGRAMS.find((p) => p.name === "otel-collector")?.args(paths);
    expect(local).to.deep.equal(["--config", paths.collectorConfig, "--config", paths.collectorHealthConfig]);
  });

  it("gives both collector distributions a health check on the same address and path", function () {
    const v2 = parse(readFileSync(join(root, "collector", "otel-collector.health-v2.yaml"), "utf8")) as {
      extensions: Record<string, { endpoint: string; path: string; use_v2?: boolean }>;
      service: { extensions: string[] };
    };
    const contrib = parse(readFileSync(join(root, "collector", "otel-collector.health-contrib.yaml"), "utf8")) as typeof v2;
    expect(v2.service.extensions).to.deep.equal(["healthcheckv2"]);
    expect(contrib.service.extensions).to.deep.equal(["health_check"]);
    const a = v2.extensions.healthcheckv2;
    const b = contrib.extensions.health_check;
    expect(a?.use_v2).to.equal(false);
    expect([a?.endpoint, a?.path]).to.deep.equal([b?.endpoint, b?.path]);
    expect(a?.endpoint).to.equal(`\${env:QUANTM_LISTEN_HOST:-127.0.0.1}:${PORTS.collectorHealth}`);
    expect(ENDPOINTS.collector.health).to.equal(`http://127.0.0.1:${PORTS.collectorHealth}${a?.path}`);
  });

  it("points the collector at the other services on the ports the local stack uses", function () {
    const env = service("otel-collector").environment ?? {};
    expect(env.QUANTM_LISTEN_HOST).to.equal("0.0.0.0");
    expect(env.QUANTM_JAEGER_OTLP_ENDPOINT).to.equal(`jaeger:${PORTS.jaegerOtlpGrpc}`);
    const logs = new URL(env.QUANTM_LOGS_OTLP_ENDPOINT ?? "");
    expect(logs.hostname).to.equal("victoria-logs");
    expect(Number(logs.port)).to.equal(PORTS.victoriaLogsHttp);
    expect(logs.pathname).to.equal(new URL(ENDPOINTS.logs.otlpLogs).pathname);
    expect(service("jaeger").environment?.QUANTM_LISTEN_HOST).to.equal("0.0.0.0");
  });

  it("the config files' defaults are the local stack's ports", function () {
    const collector = readFileSync(join(root, "collector", "otel-collector.yaml"), "utf8");
    expect(collector).to.include(`\${env:QUANTM_LISTEN_HOST:-127.0.0.1}:${PORTS.collectorOtlpGrpc}`);
    expect(collector).to.include(`\${env:QUANTM_LISTEN_HOST:-127.0.0.1}:${PORTS.collectorOtlpHttp}`);
    expect(collector).to.include(`\${env:QUANTM_JAEGER_OTLP_ENDPOINT:-127.0.0.1:${PORTS.jaegerOtlpGrpc}}`);
    expect(collector).to.include(`\${env:QUANTM_LOGS_OTLP_ENDPOINT:-${ENDPOINTS.logs.otlpLogs}}`);
    const jaeger = readFileSync(join(root, "collector", "jaeger.yaml"), "utf8");
    for (const port of [PORTS.jaegerQueryHttp, PORTS.jaegerQueryGrpc, PORTS.jaegerOtlpGrpc, PORTS.jaegerOtlpHttp, PORTS.jaegerHealth]) {
      expect(jaeger).to.include(`\${env:QUANTM_LISTEN_HOST:-127.0.0.1}:${port}`);
    }
  });

  it("pins images to the versions the local stack builds", function () {
    const jaegerModule = required("collector/build/jaeger", "github.com/jaegertracing/jaeger");
    expect(jaegerModule).to.equal("v1.75.0"); // = Jaeger 2.12.0
    expect(service("jaeger").image).to.equal("jaegertracing/jaeger:2.12.0");
    const otelcol = required("collector/build/jaeger", "go.opentelemetry.io/collector/otelcol");
    expect(service("otel-collector").image).to.equal(`otel/opentelemetry-collector-contrib:${otelcol?.slice(1)}`);
    const vl = required("collector/build/victorialogs", "github.com/VictoriaMetrics/VictoriaLogs");
    expect(service("victoria-logs").image).to.equal(`victoriametrics/victoria-logs:${vl}`);
  });

  it("starts VictoriaLogs with the local stack's flags (besides its address and data folder)", function () {
    const paths = stackPaths();
    const strip = (args: string[]): string[] => args.filter((a) => !a.startsWith("-httpListenAddr=") && !a.startsWith("-storageDataPath="));
    const local = PROGRAMS.find((p) => p.name === "victoria-logs")?.args(paths) ?? [];
    expect(strip(service("victoria-logs").command ?? [])).to.deep.equal(strip(local));
    expect(service("victoria-logs").command).to.include(`-httpListenAddr=0.0.0.0:${PORTS.victoriaLogsHttp}`);
  });
});
