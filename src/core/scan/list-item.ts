import type { DocPath } from './document.ts';

/**
 * A named item of a list inside a document (a container, a volume) that knows where it sits
 * and builds its path only when asked: rules read every workload's items, and a path is wanted
 * only for a finding. Views extend it with the item they wrap.
 */
export abstract class ListItem {
  readonly name: string;
  readonly #listPath: DocPath;
  readonly #index: number;

  protected constructor(listPath: DocPath, index: number, name: string) {
    this.name = name;
    this.#listPath = listPath;
    this.#index = index;
  }

  get path(): DocPath {
    return [...this.#listPath, this.#index];
  }
}
