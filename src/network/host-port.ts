/** An address with a port after it: an IPv6 one in brackets (RFC 3986), e.g. `[fd00::2]:9100`. */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
