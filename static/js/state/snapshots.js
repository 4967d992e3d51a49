// Named snapshots in localStorage: save, list, open, delete. `storage` is any object with
// getItem/setItem (window.localStorage on the page, a Map-backed stand-in in the tests).

export const SNAPSHOTS_KEY = "backprop-lab-snapshots";

export class Snapshots {
  constructor(storage) {
    this.storage = storage;
  }

  _read() {
    try {
      const all = JSON.parse(this.storage.getItem(SNAPSHOTS_KEY) ?? "{}");
      return all && typeof all === "object" && !Array.isArray(all) ? all : {};
    } catch {
      return {}; // a damaged entry is not worth losing the page over
    }
  }

  _write(all) {
    this.storage.setItem(SNAPSHOTS_KEY, JSON.stringify(all)); // may throw QuotaExceededError: the caller says so
  }

  /** [{name, savedAt}] newest first. */
  list() {
    return Object.entries(this._read())
      .map(([name, s]) => ({ name, savedAt: s.savedAt }))
      .sort((a, b) => (b.savedAt ?? "").localeCompare(a.savedAt ?? "") || a.name.localeCompare(b.name));
  }

  /** Keep `saved` under `name` (replacing one of the same name). */
  save(name, saved, now = new Date()) {
    const key = String(name).trim();
    if (!key) throw new Error("Give the snapshot a name.");
    const all = this._read();
    all[key] = { savedAt: now.toISOString(), state: saved };
    this._write(all);
    return key;
  }

  /** The saved state under `name`, or null. */
  open(name) {
    return this._read()[name]?.state ?? null;
  }

  remove(name) {
    const all = this._read();
    delete all[name];
    this._write(all);
  }
}
