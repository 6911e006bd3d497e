import type { ModelParts } from './scopes.js';
import { scopesOf } from './scopes.js';

/**
 * Hands out names that collide with nothing already in a model: tensor names,
 * node names, initializer names, value infos, and everything inside subgraphs
 * and local functions (a subgraph may read an outer tensor by name).
 */
export class NameAllocator {
  private readonly taken = new Set<string>();
  // Where the search for `base_<i>` resumes, so n fresh names from one base cost O(n), not O(n²).
  private readonly nextSuffix = new Map<string, number>();

  constructor(model?: ModelParts) {
    for (const scope of model ? scopesOf(model) : []) {
      const { graph, function: fn } = scope;
      for (const list of [graph?.input, graph?.output, graph?.valueInfo, graph?.initializer])
        for (const v of list ?? []) if (v.name) this.taken.add(v.name);
      for (const name of [...(fn?.input ?? []), ...(fn?.output ?? [])]) this.taken.add(name);
      for (const node of scope.nodes) {
        if (node.name) this.taken.add(node.name);
        for (const name of node.input ?? []) if (name) this.taken.add(name);
        for (const name of node.output ?? []) if (name) this.taken.add(name);
      }
    }
  }

  /** Marks a name as used. */
  reserve(name: string): void {
    this.taken.add(name);
  }

  /** `base`, or `base_1`, `base_2`, … : the first that is free, now reserved. */
  fresh(base: string): string {
    if (!this.taken.has(base)) {
      this.taken.add(base);
      return base;
    }
    let i = this.nextSuffix.get(base) ?? 1;
    while (this.taken.has(`${base}_${i}`)) i++;
    const name = `${base}_${i}`;
    this.nextSuffix.set(base, i + 1);
    this.taken.add(name);
    return name;
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }
}

/**
 * A name se-core accepts as a bundle prefix (letters, digits and `_ . / : -`, starting with a
 * letter, digit or `_`, not ending in `.`): other characters become `_`; nothing left is 'se'.
 */
export function blockName(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9_./:-]/g, '_')
    .replace(/^[^A-Za-z0-9_]+/, '')
    .replace(/\.+$/, '');
  return cleaned || 'se';
}
