import { Anchor, Button, Center, Group, Loader, MultiSelect, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFileImport, IconFilterOff, IconPackage, IconPlus, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { paths } from '../../../shared/paths.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useFormatters } from '../../lib/format.ts';
import type { Order, OrderStatus } from '../../lib/types.ts';
import { ordersQuery, type OrderFilters } from './api/list-orders.ts';
import { useLiveUpdates } from './api/live-updates.ts';
import { LiveBadge } from './components/LiveBadge.tsx';
import { OrderStatusBadge } from './components/StatusBadges.tsx';
import { addressText, ORDER_STATUS, ORDER_STATUS_OPTIONS, orderReference } from './lib/labels.ts';
import { endOfZonedDay, shortDateTime, zonedInputToMs } from './lib/time.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function statusesFrom(param: string | null): OrderStatus[] {
  return (param ?? '').split(',').filter((s): s is OrderStatus => s in ORDER_STATUS);
}

/** The client portal's orders: filters in the address bar, newest first, updated live. */
export function OrdersPage() {
  const [params, setParams] = useSearchParams();
  const { timeZone } = useFormatters();
  const live = useLiveUpdates();

  const statusParam = params.get('status') ?? '';
  const statuses = useMemo(() => statusesFrom(statusParam), [statusParam]);
  const fromDay = DAY.test(params.get('from') ?? '') ? params.get('from')! : '';
  const toDay = DAY.test(params.get('to') ?? '') ? params.get('to')! : '';
  const sort = params.get('sort') === 'asc' ? 'asc' : 'desc';
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 350);

  const setParam = (key: string, value: string | null) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  };

  // The search box writes to the address bar once typing pauses.
  useEffect(() => {
    if ((params.get('q') ?? '') !== q) setParam('q', q || null);
  }, [q]);

  const filters: OrderFilters = useMemo(
    () => ({
      statuses,
      q,
      from: fromDay ? zonedInputToMs(fromDay, timeZone) : null,
      to: toDay ? endOfZonedDay(toDay, timeZone) : null,
      sort,
    }),
    [statuses, q, fromDay, toDay, sort, timeZone],
  );
  const orders = useInfiniteQuery({ ...ordersQuery(filters), placeholderData: keepPreviousData });
  const filtered = statuses.length > 0 || q !== '' || fromDay !== '' || toDay !== '';
  const rangeError = fromDay && toDay && fromDay > toDay ? 'The end date is before the start date.' : undefined;

  const clearFilters = () => {
    setSearch('');
    setParams(sort === 'asc' ? { sort } : {}, { replace: true });
  };

  const newOrderButton = (
    <Button component={Link} to={paths.portalNewOrder()} leftSection={<IconPlus size={18} aria-hidden />}>
      New order
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Orders"
        description="Your deliveries, from pickup to proof of delivery."
        actions={
          <>
            <LiveBadge status={live} />
            <Button variant="default" component={Link} to={paths.portalImportOrders()} leftSection={<IconFileImport size={18} aria-hidden />}>
              Import CSV
            </Button>
            {newOrderButton}
          </>
        }
      />
      <Stack gap="md">
        <Paper p="md" radius="md">
          <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="sm">
            <TextInput
              label="Search"
              placeholder="Id, address or name"
              leftSection={<IconSearch size={16} aria-hidden />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              type="search"
            />
            <MultiSelect
              label="Status"
              placeholder={statuses.length ? undefined : 'Any status'}
              data={ORDER_STATUS_OPTIONS}
              value={statuses}
              onChange={(v) => setParam('status', v.join(',') || null)}
              clearable
              clearButtonProps={{ 'aria-label': 'Clear the status filter' }}
              hidePickedOptions
            />
            <TextInput
              label="Created from"
              type="date"
              value={fromDay}
              onChange={(e) => setParam('from', e.currentTarget.value || null)}
              max={toDay || undefined}
            />
            <TextInput
              label="Created until"
              type="date"
              value={toDay}
              onChange={(e) => setParam('to', e.currentTarget.value || null)}
              min={fromDay || undefined}
              error={rangeError}
            />
            <Select
              label="Order"
              data={[
                { value: 'desc', label: 'Newest first' },
                { value: 'asc', label: 'Oldest first' },
              ]}
              value={sort}
              onChange={(v) => setParam('sort', v === 'asc' ? 'asc' : null)}
              allowDeselect={false}
            />
          </SimpleGrid>
        </Paper>

        <QueryState
          query={{ ...orders, data: orders.data?.pages.flatMap((p) => p.orders) }}
          loadingLabel="Loading orders…"
          errorTitle="Could not load your orders"
          isEmpty={(data) => data.length === 0}
          empty={
            filtered ? (
              <EmptyState
                icon={<IconFilterOff size={28} aria-hidden />}
                title="No orders match"
                action={
                  <Button variant="light" onClick={clearFilters} leftSection={<IconFilterOff size={16} aria-hidden />}>
                    Clear filters
                  </Button>
                }
              >
                Try another search, status or date range.
              </EmptyState>
            ) : (
              <EmptyState icon={<IconPackage size={28} aria-hidden />} title="No orders yet" action={newOrderButton}>
                Create your first delivery order: tell us where to pick the parcel up and where it goes. You can follow it
                here until it is delivered.
              </EmptyState>
            )
          }
        >
          {(data) => (
            <Stack gap="md">
              <Group justify="space-between">
                <Text size="sm" c="dimmed" aria-live="polite">
                  {orders.hasNextPage ? `Showing the first ${data.length} orders` : `${data.length} ${data.length === 1 ? 'order' : 'orders'}`}
                </Text>
                {orders.isFetching && !orders.isFetchingNextPage ? <Loader size="xs" aria-label="Refreshing" /> : null}
              </Group>
              <OrdersTable orders={data} timeZone={timeZone} />
              {orders.hasNextPage ? (
                <Center>
                  <Button variant="default" loading={orders.isFetchingNextPage} onClick={() => void orders.fetchNextPage()}>
                    Load more
                  </Button>
                </Center>
              ) : null}
            </Stack>
          )}
        </QueryState>
      </Stack>
    </>
  );
}

/** When the order is due, expected or done. */
function timingText(o: Order, timeZone: string): { text: string; late?: boolean } {
  const d = o.dropoffTask;
  const at = (ms: number) => shortDateTime(ms, timeZone);
  if (o.status === 'completed') return { text: `Completed ${at(d.completionDetails.time ?? o.timeLastModified)}` };
  if (o.status === 'failed') {
    const t = d.completionDetails.time ?? o.pickupTask.completionDetails.time ?? o.timeLastModified;
    return { text: `Failed ${at(t)}` };
  }
  if (o.status === 'cancelled' || o.status === 'rejected') return { text: '—' };
  if (d.eta) return { text: `ETA ${at(d.eta)}` };
  if (d.completeBefore) return { text: `Due by ${at(d.completeBefore)}`, late: d.completeBefore < Date.now() };
  return { text: '—' };
}

function OrdersTable({ orders, timeZone }: { orders: Order[]; timeZone: string }) {
  const fmt = useFormatters();
  return (
    <Paper radius="md">
      <Table.ScrollContainer minWidth={1000}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Order</Table.Th>
              <Table.Th scope="col">Created</Table.Th>
              <Table.Th scope="col">Pickup</Table.Th>
              <Table.Th scope="col">Dropoff</Table.Th>
              <Table.Th scope="col">Recipient</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Driver</Table.Th>
              <Table.Th scope="col">ETA / done</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {orders.map((o) => {
              const reference = orderReference(o);
              const timing = timingText(o, timeZone);
              const assigned = o.dropoffTask.worker ?? o.pickupTask.worker;
              return (
                <Table.Tr key={o.id}>
                  <Table.Td>
                    <Anchor component={Link} to={paths.portalOrder(o.shortId)} fw={600} ff="monospace" aria-label={`Order ${o.shortId}`}>
                      {o.shortId}
                    </Anchor>
                    {reference ? (
                      <Text size="xs" c="dimmed" truncate="end" maw={140}>
                        {reference}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }} title={fmt.dateTime(o.timeCreated)}>
                      {shortDateTime(o.timeCreated, timeZone)}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={220}>
                    <Text size="sm" lineClamp={2}>
                      {addressText(o.pickupTask.destination.address)}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={220}>
                    <Text size="sm" lineClamp={2}>
                      {addressText(o.dropoffTask.destination.address)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{o.dropoffTask.recipients[0]?.name ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <OrderStatusBadge status={o.status} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={assigned ? undefined : 'dimmed'}>
                      {assigned ? 'Assigned' : '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }} c={timing.late ? 'red.8' : undefined}>
                      {timing.text}
                      {timing.late ? ' (late)' : ''}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
