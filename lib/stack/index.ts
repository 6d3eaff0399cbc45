// The local stack (collector + Jaeger + VictoriaLogs) without Docker: public entry point.
export { stackUp, stackDown, stackStatus, stackPorts } from "./stack.js";
export type { StackOptions, StackStatus, StackUpResult, StackDownResult, ProgramStatus } from "./stack.js";
export { ENDPOINTS, PORTS, PROGRAMS, STACK_HOST, cacheDir, stateDir, stackPaths, packageRoot } from "./config.js";
export type { StackEndpoints, StackPaths, ProgramName, PortName } from "./config.js";
export { StackError } from "./errors.js";
export type { StackErrorCode } from "./errors.js";
export { ensureBinary, binaryPath, isBuilt } from "./build.js";
