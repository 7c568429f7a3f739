import { Box, Group, Text } from '@mantine/core';
import { IconMapPin } from '@tabler/icons-react';
import { useMemo } from 'react';
import { LeafletMap, type MapMarker } from '../../../components/map/LeafletMap.tsx';
import { useMapTiles } from '../../../components/map/app-config.ts';
import type { Tracking } from '../api/types.ts';
import type { Accent } from '../../../lib/colors.ts';
import { initials } from '../lib/labels.ts';

const DRIVER_COLOR = '#212529';
const MAP_HEIGHT = 240;

/** The destination and, while on the way, the driver's live position. */
export function TrackingMap({ data, accent, preview = false }: { data: Tracking; accent: Accent; preview?: boolean }) {
  const driverName = data.driver?.name ?? null;
  const destinationTitle = `${data.kind === 'pickup' ? 'Pickup address' : 'Delivery address'}: ${data.destination.address}`;
  const driverTitle = `${driverName ?? 'Your driver'}: current position`;
  const hasDriver = !!data.driver?.location;

  if (preview) return <StaticMap accent={accent} showDriver={hasDriver} driverLabel={initials(driverName)} />;
  return (
    <LiveMap
      data={data}
      accent={accent}
      destinationTitle={destinationTitle}
      driverTitle={driverTitle}
      driverLabel={initials(driverName)}
    />
  );
}

function LiveMap({
  data,
  accent,
  destinationTitle,
  driverTitle,
  driverLabel,
}: {
  data: Tracking;
  accent: Accent;
  destinationTitle: string;
  driverTitle: string;
  driverLabel: string;
}) {
  const tiles = useMapTiles();
  const destination = data.destination.location;
  const driver = data.driver?.location ?? null;
  // The positions arrive as new arrays on every refresh: the markers change only when their values do.
  const key = JSON.stringify([destination, driver, accent.onWhite, destinationTitle, driverTitle, driverLabel]);
  const markers = useMemo<MapMarker[]>(() => {
    const list: MapMarker[] = [];
    if (destination) list.push({ id: 'destination', position: destination, color: accent.onWhite, title: destinationTitle, label: '' });
    if (driver) list.push({ id: 'driver', position: driver, color: DRIVER_COLOR, title: driverTitle, label: driverLabel, shape: 'square', selected: true });
    return list;
  }, [key]);

  return (
    <Box>
      <LeafletMap
        markers={markers}
        tiles={tiles}
        label={driver ? 'Map of your driver and the destination' : 'Map of the destination'}
        height={MAP_HEIGHT}
        // Zoom again when the driver appears or leaves; otherwise the recipient's own zoom stays.
        fitKey={driver ? 'driver' : 'destination'}
      />
      <Legend accent={accent} showDriver={!!driver} />
    </Box>
  );
}

function Legend({ accent, showDriver }: { accent: Accent; showDriver: boolean }) {
  return (
    <Group gap="md" mt={6} role="group" aria-label="Map legend">
      <Group gap={6} wrap="nowrap">
        <Box w={12} h={12} bg={accent.onWhite} style={{ borderRadius: '50%' }} aria-hidden />
        <Text size="sm" c="dimmed">
          Destination
        </Text>
      </Group>
      {showDriver ? (
        <Group gap={6} wrap="nowrap">
          <Box w={12} h={12} bg={DRIVER_COLOR} style={{ borderRadius: 3 }} aria-hidden />
          <Text size="sm" c="dimmed">
            Driver
          </Text>
        </Group>
      ) : null}
    </Group>
  );
}

/** A drawing of the map for the customizer's preview: no tiles, no network. */
function StaticMap({ accent, showDriver, driverLabel }: { accent: Accent; showDriver: boolean; driverLabel: string }) {
  const grid = 'rgba(0,0,0,0.06)';
  return (
    <Box>
      <Box
        role="img"
        aria-label={showDriver ? 'Map showing the driver and the destination' : 'Map showing the destination'}
        pos="relative"
        h={200}
        bg="gray.1"
        style={{
          borderRadius: 'var(--mantine-radius-md)',
          overflow: 'hidden',
          backgroundImage: `linear-gradient(${grid} 1px, transparent 1px), linear-gradient(90deg, ${grid} 1px, transparent 1px)`,
          backgroundSize: '28px 28px',
        }}
      >
        <Box pos="absolute" top="0" left="38%" w={14} h="100%" bg="white" style={{ transform: 'skewX(-12deg)' }} />
        <Box pos="absolute" top="58%" left={0} w="100%" h={14} bg="white" />
        <Box pos="absolute" top="30%" left="66%" style={{ transform: 'translate(-50%, -100%)', lineHeight: 0 }}>
          <IconMapPin size={40} stroke={1.5} color="white" fill={accent.onWhite} aria-hidden />
        </Box>
        {showDriver ? (
          <Box
            pos="absolute"
            top="58%"
            left="28%"
            w={28}
            h={28}
            bg={DRIVER_COLOR}
            c="white"
            fz={12}
            fw={700}
            style={{
              transform: 'translate(-50%, -25%)',
              borderRadius: 6,
              border: '2px solid white',
              boxShadow: '0 0 0 3px var(--mantine-color-yellow-4)',
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
            }}
          >
            {driverLabel}
          </Box>
        ) : null}
      </Box>
      <Legend accent={accent} showDriver={showDriver} />
    </Box>
  );
}
