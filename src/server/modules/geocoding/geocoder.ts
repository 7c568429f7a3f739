/** Turns an address into coordinates. Implementations: a Nominatim-compatible HTTP service, or none. */
export interface Geocoder {
  /** [longitude, latitude], or null when the address was not found; throws when the service fails */
  geocode(address: string, countryCode?: string): Promise<[number, number] | null>;
}

/**
 * Nominatim's search API (`GET {base}/search?format=jsonv2&limit=1&q=…`), as served by
 * OpenStreetMap's Nominatim, a self-hosted one, or any compatible service.
 */
export class NominatimGeocoder implements Geocoder {
  constructor(
    private readonly baseUrl: string,
    private readonly userAgent = 'Baton courier dispatch (self-hosted)',
    private readonly timeoutMs = 5000,
  ) {}

  async geocode(address: string, countryCode?: string): Promise<[number, number] | null> {
    const url = new URL(`${this.baseUrl}/search`);
    url.searchParams.set('format', 'jsonv2');
    url.searchParams.set('limit', '1');
    url.searchParams.set('q', address);
    if (countryCode) url.searchParams.set('countrycodes', countryCode.toLowerCase());
    const res = await fetch(url, { headers: { 'User-Agent': this.userAgent, Accept: 'application/json' }, signal: AbortSignal.timeout(this.timeoutMs) });
    if (!res.ok) throw new Error(`geocoder answered ${res.status}`);
    const body = (await res.json()) as Array<{ lat?: string; lon?: string }>;
    const hit = Array.isArray(body) ? body[0] : undefined;
    if (!hit?.lat || !hit?.lon) return null;
    const lat = Number(hit.lat);
    const lng = Number(hit.lon);
    if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
    return [lng, lat];
  }
}
