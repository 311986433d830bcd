/**
 * Who is in a room, as far as the relay's member lists and presence notices tell, with who spoke last:
 * nick completion offers the people you are talking with first (irssi and WeeChat do the same).
 */

interface Member {
  readonly nick: string;
  /** Sequence number of their latest line, 0 if they have not spoken. */
  spokeAt: number;
}

export class NickList {
  private readonly members = new Map<string, Member>();

  has(nick: string): boolean {
    return this.members.has(key(nick));
  }

  add(nick: string): void {
    if (!this.has(nick)) this.members.set(key(nick), { nick, spokeAt: 0 });
  }

  remove(nick: string): boolean {
    return this.members.delete(key(nick));
  }

  rename(from: string, to: string): boolean {
    const member = this.members.get(key(from));
    if (member === undefined) return false;
    this.members.delete(key(from));
    this.members.set(key(to), { nick: to, spokeAt: member.spokeAt });
    return true;
  }

  /** Someone spoke: they are a member (the relay only relays members' lines) and now the most recent. */
  spoke(nick: string, seq: number): void {
    const member = this.members.get(key(nick));
    if (member === undefined) this.members.set(key(nick), { nick, spokeAt: seq });
    else member.spokeAt = seq;
  }

  clear(): void {
    this.members.clear();
  }

  /** Every nick, most recent speaker first, then alphabetically. */
  ordered(): string[] {
    return [...this.members.values()]
      .sort((a, b) => b.spokeAt - a.spokeAt || a.nick.localeCompare(b.nick))
      .map((member) => member.nick);
  }
}

/** Nicks are unique case-insensitively on the relay; the list follows the same rule. */
function key(nick: string): string {
  return nick.toLowerCase();
}
