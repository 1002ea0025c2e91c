/**
 * The notebook renderer API as VS Code gives it to renderers (the subset vsum uses; the shape of the
 * `vscode-notebook-renderer` types, declared here so no extra type package is needed).
 */
export interface OutputItem {
  readonly id: string;
  readonly mime: string;
  readonly metadata: unknown;
  text(): string;
  json(): unknown;
  data(): Uint8Array;
}

export interface Disposable {
  dispose(): void;
}

export interface RendererContext<T = unknown> {
  postMessage?(message: unknown): void;
  onDidReceiveMessage?(listener: (e: T) => unknown): Disposable;
  readonly workspace?: { readonly isTrusted: boolean };
}

export interface RendererApi {
  renderOutputItem(item: OutputItem, element: HTMLElement, signal?: AbortSignal): void | Promise<void>;
  disposeOutputItem?(id?: string): void;
}

export type ActivationFunction<T = unknown> = (context: RendererContext<T>) => RendererApi;
