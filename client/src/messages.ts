/**
 * The client's side of kgov's custom messages: sends requests and receives notifications by their descriptors
 * (server/src/shared/protocol.ts), so params and results are typed once, there.
 */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { NotificationDescriptor, RequestDescriptor } from '../../server/src/shared/protocol';

/** Sends a request without params. */
export function sendRequest<R>(client: LanguageClient, request: RequestDescriptor<void, R>, token?: vscode.CancellationToken): Promise<R>;
/** Sends a request. */
export function sendRequest<P, R>(client: LanguageClient, request: RequestDescriptor<P, R>, params: P, token?: vscode.CancellationToken): Promise<R>;
export function sendRequest<R>(client: LanguageClient, request: RequestDescriptor<unknown, R>, ...args: unknown[]): Promise<R> {
  // Only the arguments there are: vscode-jsonrpc would send a trailing `undefined` as one more positional
  // parameter (the server would read it as its cancellation token, and fail on null), and a request without
  // params goes without any.
  const [first, second] = args.filter((a) => a !== undefined);
  if (first === undefined) return client.sendRequest<R>(request.method);
  if (second === undefined) return client.sendRequest<R>(request.method, first);
  return client.sendRequest<R>(request.method, first, second as vscode.CancellationToken);
}

export function onNotification<P>(client: LanguageClient, notification: NotificationDescriptor<P>, handler: (params: P) => void): vscode.Disposable {
  return client.onNotification(notification.method, handler);
}
