/**
 * A set of catalogue actions as a bitset over their indices. Scoring thousands of policies unions and
 * subtracts sets of ~20,000 actions many times over; words of 32 bits keep each such step to a few
 * hundred integer operations instead of string hashing.
 */
export class ActionSet {
  readonly words: Uint32Array;

  constructor(readonly size: number, words?: Uint32Array) {
    this.words = words ?? new Uint32Array((size + 31) >>> 5);
  }

  static full(size: number): ActionSet {
    const set = new ActionSet(size);
    set.words.fill(0xffffffff);
    set.trim();
    return set;
  }

  static range(size: number, start: number, end: number): ActionSet {
    const set = new ActionSet(size);
    for (let i = start; i < end; i++) set.add(i);
    return set;
  }

  clone(): ActionSet {
    return new ActionSet(this.size, this.words.slice());
  }

  add(index: number): void {
    this.words[index >>> 5]! |= 1 << (index & 31);
  }

  has(index: number): boolean {
    return (this.words[index >>> 5]! & (1 << (index & 31))) !== 0;
  }

  /** In place: this ∪ other. */
  addAll(other: ActionSet): this {
    const w = this.words;
    const o = other.words;
    for (let i = 0; i < w.length; i++) w[i]! |= o[i]!;
    return this;
  }

  /** In place: this − other. */
  removeAll(other: ActionSet): this {
    const w = this.words;
    const o = other.words;
    for (let i = 0; i < w.length; i++) w[i]! &= ~o[i]!;
    return this;
  }

  /** In place: this ∩ other. */
  retainAll(other: ActionSet): this {
    const w = this.words;
    const o = other.words;
    for (let i = 0; i < w.length; i++) w[i]! &= o[i]!;
    return this;
  }

  /** In place: everything not in this set. */
  invert(): this {
    const w = this.words;
    for (let i = 0; i < w.length; i++) w[i] = ~w[i]!;
    return this.trim();
  }

  intersects(other: ActionSet): boolean {
    const w = this.words;
    const o = other.words;
    for (let i = 0; i < w.length; i++) if ((w[i]! & o[i]!) !== 0) return true;
    return false;
  }

  isEmpty(): boolean {
    return this.words.every((word) => word === 0);
  }

  /** Whether every index in [start, end) is in the set. */
  hasRange(start: number, end: number): boolean {
    for (let i = start; i < end; i++) {
      if ((i & 31) === 0 && i + 32 <= end) {
        if (this.words[i >>> 5] !== 0xffffffff) return false;
        i += 31;
        continue;
      }
      if (!this.has(i)) return false;
    }
    return true;
  }

  count(): number {
    let n = 0;
    for (let word of this.words) {
      // Population count of a 32-bit word (Hacker's Delight 5-2).
      word -= (word >>> 1) & 0x55555555;
      word = (word & 0x33333333) + ((word >>> 2) & 0x33333333);
      n += (((word + (word >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }

  /** Every index in [0, size) is in the set; stops at the first gap. */
  isFull(): boolean {
    const w = this.words;
    const last = w.length - 1;
    for (let i = 0; i < last; i++) if (w[i] !== 0xffffffff) return false;
    const extra = (w.length << 5) - this.size;
    return last < 0 || w[last] === 0xffffffff >>> extra;
  }

  /** Indices in ascending order. */
  indices(): number[] {
    const out: number[] = [];
    const w = this.words;
    for (let i = 0; i < w.length; i++) {
      let word = w[i]!;
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word);
        out.push((i << 5) + bit);
        word &= word - 1;
      }
    }
    return out;
  }

  /** Clears the bits past `size` that whole-word operations (fill, invert) set. */
  private trim(): this {
    const extra = (this.words.length << 5) - this.size;
    if (extra > 0 && this.words.length > 0) this.words[this.words.length - 1]! &= 0xffffffff >>> extra;
    return this;
  }
}
