/** The servers door: the operator API, the agent API and the Unix sockets they are served on. */
export { createHostApi } from './host-api.js';
export { handleAgentLine } from './agent-api.js';
export { AgentSockets } from './agent-sockets.js';
export { createLineServer } from './line-server.js';
export { listen, isAlive, chgrp } from './unix-socket.js';
export { startHttpServer, type HttpServer } from './http-server.js';
export { httpAccess } from './http-access.js';
