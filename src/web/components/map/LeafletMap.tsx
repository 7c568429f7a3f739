import { Box, Text } from '@mantine/core';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef } from 'react';
import type { MapTiles } from './app-config.ts';

/** [longitude, latitude], as the API sends coordinates */
export type LngLat = [number, number];

export interface MapMarker {
  id: string;
  position: LngLat;
  /** CSS colour of the marker, e.g. "var(--mantine-color-blue-7)" */
  color: string;
  /** one or two characters drawn inside the marker, e.g. "P" */
  label?: string;
  /** the marker's accessible name and tooltip */
  title: string;
  /** round (tasks, places) or square (drivers, vehicles) */
  shape?: 'round' | 'square';
  /** drawn larger, with a ring, above the others */
  selected?: boolean;
}

export interface MapLine {
  id: string;
  positions: LngLat[];
  color: string;
  dashed?: boolean;
}

export interface LeafletMapProps {
  markers: MapMarker[];
  lines?: MapLine[];
  /** from useMapTiles(); url '' draws no tiles (markers on a plain background) */
  tiles: MapTiles | undefined;
  /** the map's accessible name */
  label: string;
  height: number | string;
  onMarkerClick?: (id: string) => void;
  /** whenever this changes, the map zooms to show every marker */
  fitKey?: string | number;
  /** the map pans to this marker when it changes */
  focusId?: string | null;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function iconFor(m: MapMarker): L.DivIcon {
  const size = m.selected ? 30 : 24;
  const radius = m.shape === 'square' ? '6px' : '50%';
  const ring = m.selected ? '0 0 0 3px var(--mantine-color-yellow-4), 0 1px 4px rgba(0,0,0,.45)' : '0 1px 3px rgba(0,0,0,.45)';
  const html =
    `<span style="display:flex;align-items:center;justify-content:center;width:${size}px;height:${size}px;` +
    `border-radius:${radius};background:${m.color};border:2px solid #fff;box-shadow:${ring};color:#fff;` +
    `font:700 ${m.selected ? 13 : 11}px/1 system-ui,sans-serif;box-sizing:border-box">${escapeHtml(m.label ?? '')}</span>`;
  return L.divIcon({ className: 'baton-map-marker', html, iconSize: [size, size], iconAnchor: [size / 2, size / 2], tooltipAnchor: [0, -size / 2] });
}

const iconKey = (m: MapMarker) => [m.color, m.label, m.shape, m.selected ? 1 : 0].join('|');
const toLatLng = ([lng, lat]: LngLat): L.LatLngTuple => [lat, lng];

/**
 * A Leaflet map for React: markers (tasks, drivers) and lines between them. Markers are keyboard
 * reachable (Tab, then Enter) and named by their title. Tiles come from the installation's settings.
 */
export function LeafletMap({ markers, lines = [], tiles, label, height, onMarkerClick, fitKey, focusId }: LeafletMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const markerLayer = useRef<Map<string, { marker: L.Marker; key: string; title: string }>>(new Map());
  const lineLayer = useRef<L.LayerGroup | null>(null);
  const clickRef = useRef(onMarkerClick);
  const fittedOnce = useRef(false);
  /** once the person pans or zooms, the map stops re-fitting itself when its size changes */
  const userMoved = useRef(false);
  const markersRef = useRef(markers);
  markersRef.current = markers;
  /** without tiles a notice covers the top of the map: fitting leaves room for it */
  const noTilesRef = useRef(false);
  noTilesRef.current = !!tiles && !tiles.url;
  clickRef.current = onMarkerClick;

  // The map itself, once per mount.
  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const map = L.map(el, { center: [20, 0], zoom: 2, zoomSnap: 0.5, zoomControl: true, keyboard: true, worldCopyJump: true });
    mapRef.current = map;
    lineLayer.current = L.layerGroup().addTo(map);
    const layers = markerLayer.current;
    const observer = new ResizeObserver(() => {
      map.invalidateSize();
      if (!userMoved.current && markersRef.current.length > 0) fitTo(map, markersRef.current, noTilesRef.current);
    });
    observer.observe(el);
    const moved = () => {
      userMoved.current = true;
    };
    for (const type of ['pointerdown', 'wheel', 'keydown'] as const) el.addEventListener(type, moved, { passive: true });
    return () => {
      observer.disconnect();
      for (const type of ['pointerdown', 'wheel', 'keydown'] as const) el.removeEventListener(type, moved);
      layers.clear();
      lineLayer.current = null;
      mapRef.current = null;
      fittedOnce.current = false;
      map.remove();
    };
  }, []);

  // Tiles.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !tiles?.url) return;
    const layer = L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
    return () => {
      layer.remove();
    };
  }, [tiles?.url, tiles?.attribution]);

  // Markers: updated in place, so that a moving driver keeps its marker (and keyboard focus).
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const layers = markerLayer.current;
    const seen = new Set<string>();
    for (const m of markers) {
      seen.add(m.id);
      const existing = layers.get(m.id);
      const key = iconKey(m);
      if (existing) {
        existing.marker.setLatLng(toLatLng(m.position));
        existing.marker.options.title = m.title;
        if (existing.key !== key) existing.marker.setIcon(iconFor(m));
        existing.marker.getElement()?.setAttribute('title', m.title);
        if (existing.title !== m.title) existing.marker.setTooltipContent(escapeHtml(m.title));
        existing.marker.setZIndexOffset(m.selected ? 1000 : m.shape === 'square' ? 500 : 0);
        existing.marker.getElement()?.setAttribute('aria-label', m.title);
        layers.set(m.id, { marker: existing.marker, key, title: m.title });
        continue;
      }
      const marker = L.marker(toLatLng(m.position), {
        icon: iconFor(m),
        title: m.title,
        keyboard: true,
        riseOnHover: true,
        zIndexOffset: m.selected ? 1000 : m.shape === 'square' ? 500 : 0,
      });
      marker.bindTooltip(escapeHtml(m.title), { direction: 'top' });
      marker.on('click', () => clickRef.current?.(m.id));
      // A marker is a button: Enter or Space acts like a click.
      marker.on('keydown', (e: L.LeafletKeyboardEvent) => {
        if (e.originalEvent.key !== 'Enter' && e.originalEvent.key !== ' ') return;
        e.originalEvent.preventDefault();
        clickRef.current?.(m.id);
      });
      marker.addTo(map);
      marker.getElement()?.setAttribute('aria-label', m.title);
      layers.set(m.id, { marker, key, title: m.title });
    }
    for (const [id, entry] of layers) {
      if (!seen.has(id)) {
        entry.marker.remove();
        layers.delete(id);
      }
    }
    if (!fittedOnce.current && markers.length > 0) {
      fittedOnce.current = true;
      fitTo(map, markers, noTilesRef.current);
    }
  }, [markers]);

  // Lines.
  useEffect(() => {
    const group = lineLayer.current;
    if (!group) return;
    group.clearLayers();
    for (const line of lines) {
      L.polyline(line.positions.map(toLatLng), {
        color: line.color,
        weight: 2,
        opacity: 0.8,
        dashArray: line.dashed ? '6 6' : undefined,
        interactive: false,
      }).addTo(group);
    }
  }, [lines]);

  // Zoom to everything when asked to.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || fitKey === undefined) return;
    userMoved.current = false;
    if (markersRef.current.length > 0) fitTo(map, markersRef.current, noTilesRef.current);
  }, [fitKey]);

  // The tile settings often arrive after the markers: fit again, unless the person has moved the map.
  const noTiles = !!tiles && !tiles.url;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !noTiles || userMoved.current || markersRef.current.length === 0) return;
    fitTo(map, markersRef.current, true);
  }, [noTiles]);

  // Pan to the focused marker.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !focusId) return;
    const m = markersRef.current.find((x) => x.id === focusId);
    if (m) map.panTo(toLatLng(m.position));
  }, [focusId]);

  return (
    <Box pos="relative" h={height} style={{ borderRadius: 'var(--mantine-radius-md)', overflow: 'hidden' }}>
      <Box
        ref={containerRef}
        role="region"
        aria-label={label}
        h="100%"
        w="100%"
        bg="gray.1"
        style={{ zIndex: 0 }}
      />
      {tiles && !tiles.url ? (
        <Text
          size="xs"
          c="dimmed"
          pos="absolute"
          top={8}
          right={8}
          maw="70%"
          px={6}
          py={2}
          bg="white"
          style={{ zIndex: 500, borderRadius: 'var(--mantine-radius-sm)', pointerEvents: 'none' }}
        >
          Map tiles are turned off on this server; positions are shown without a background map.
        </Text>
      ) : null}
    </Box>
  );
}

function fitTo(map: L.Map, markers: MapMarker[], noTiles = false) {
  const bounds = L.latLngBounds(markers.map((m) => toLatLng(m.position)));
  if (!bounds.isValid()) return;
  map.fitBounds(bounds, { paddingTopLeft: [32, noTiles ? 80 : 32], paddingBottomRight: [32, 32], maxZoom: 15 });
}
