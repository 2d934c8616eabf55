/** Entry of the language server bundle (server/out/server.js): stdio (`--stdio`) or IPC (`--node-ipc`), from argv. */
import { startServer } from './lsp/server';

startServer();
