/**
 * The only way the web client makes DOM nodes: elements with a class and text set through `textContent`,
 * never markup. Every text from the network was already made inert by the client library
 * (protocol/sanitize.ts); here it also cannot become HTML.
 */

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== '') node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The element with this id, of this kind; a page that lacks it is a build error worth failing on. */
export function byId<T extends HTMLElement>(id: string, kind: { new (): T }): T {
  const node = document.getElementById(id);
  if (!(node instanceof kind)) throw new Error(`the page has no #${id}`);
  return node;
}
