/**
 * One copy of each string, and of each list of strings, handed to it. JSON gives every decoded
 * fact its own copy of its snippet, names and flags, where the facts of one line share a snippet
 * and thousands of facts name `assertEqual` or carry the same flags: on the stdlib, an index read
 * back from its snapshot held 66,000 more strings (2.8 MB) and 35,000 more arrays than one whose
 * facts shared them. Bounded: past `max` strings it starts over.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();
  private readonly lists = new Map<string, readonly string[]>();

  constructor(private readonly max = 50_000) {}

  of(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size >= this.max) this.strings.clear();
    this.strings.set(s, s);
    return s;
  }

  /** One frozen list per content (for short lists of few kinds, such as a fact's flags). */
  list<T extends string>(list: T[]): T[] {
    const key = list.join('\u0000');
    let known = this.lists.get(key);
    if (known === undefined) {
      if (this.lists.size >= this.max) this.lists.clear();
      known = Object.freeze([...list]);
      this.lists.set(key, known);
    }
    return known as T[];
  }

  clear(): void {
    this.strings.clear();
    this.lists.clear();
  }
}
