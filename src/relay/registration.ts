/** Who a registration makes: the nick, its look-alike key, its account and its server-operator flag. */
export interface Registration {
  readonly nick: string;
  readonly key: string;
  readonly account: string | null;
  readonly serverOperator: boolean;
}
