import { Alert, Anchor, Badge, Button, Code, Flex, Group, Paper, ScrollArea, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconFileImport, IconFilterOff } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { FormAlert } from '../../../components/FormAlert.tsx';
import type { ImportPreview as Preview, PreviewRow, PreviewRowStatus } from '../api/imports.ts';
import { plural, PREVIEW_STATUS, problemColumn } from '../lib/labels.ts';
import { pageOf, RowsPagination } from './RowsPagination.tsx';

type Filter = 'all' | PreviewRowStatus;

/** Step two: what each row of the file would become, and the button that imports the ready ones. */
export function ImportPreview({
  preview,
  orderPath,
  onImport,
  importing,
  importError,
}: {
  preview: Preview;
  /** where an order already imported is shown (the portal's or the courier's order page) */
  orderPath: (shortId: string) => string;
  onImport: () => void;
  importing: boolean;
  importError: string | null;
}) {
  const [filter, setFilter] = useState<Filter>('all');
  const [page, setPage] = useState(1);
  const { summary, columns } = preview;
  const rows = filter === 'all' ? preview.rows : preview.rows.filter((r) => r.status === filter);
  const skipped = summary.invalid + summary.duplicate;
  // Duplicates are rows imported before, or rows that repeat an earlier line of this file.
  const repeated = preview.rows.filter((r) => r.status === 'duplicate' && !r.duplicateOf?.orderShortId).length;
  const alreadyImported = summary.duplicate - repeated;
  const changeFilter = (value: string) => {
    setFilter(value as Filter);
    setPage(1);
  };

  return (
    <Paper p="lg" radius="md" component="section" aria-labelledby="import-preview-title">
      <Stack gap="md">
        <Flex direction={{ base: 'column', sm: 'row' }} justify="space-between" align={{ base: 'stretch', sm: 'flex-start' }} gap="md">
          <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
            <Title order={2} fz="lg" id="import-preview-title">
              Check the orders
            </Title>
            <Group gap="xs" aria-label="Summary" role="group">
              <Text size="sm">{plural(summary.total, 'row')}:</Text>
              <Badge color="green" variant="light" tt="none" size="lg">
                {summary.ready.toLocaleString()} ready
              </Badge>
              <Badge color="red" variant="light" tt="none" size="lg">
                {summary.invalid.toLocaleString()} invalid
              </Badge>
              <Badge color="gray" variant="light" tt="none" size="lg">
                {alreadyImported.toLocaleString()} already imported
              </Badge>
              {repeated > 0 ? (
                <Badge color="gray" variant="light" tt="none" size="lg">
                  {repeated.toLocaleString()} repeated in the file
                </Badge>
              ) : null}
            </Group>
          </Stack>
          <Stack gap={4} align="flex-end" maw={{ sm: 380 }} style={{ flexShrink: 0 }}>
            <Button
              leftSection={<IconFileImport size={18} aria-hidden />}
              disabled={summary.ready === 0}
              loading={importing}
              onClick={onImport}
            >
              Import {plural(summary.ready, 'order')}
            </Button>
            <Text size="xs" c="dimmed" ta="right">
              {summary.ready === 0
                ? 'No row is ready to import. Fix the file and choose it again.'
                : skipped > 0
                  ? `Only the ready rows are imported: ${[
                      summary.invalid ? plural(summary.invalid, 'invalid row') : '',
                      summary.duplicate ? plural(summary.duplicate, 'duplicate') : '',
                    ]
                      .filter(Boolean)
                      .join(' and ')} ${skipped === 1 ? 'is' : 'are'} skipped.`
                  : 'Every row is ready.'}
            </Text>
          </Stack>
        </Flex>

        <FormAlert message={importError} title="The import could not start" />

        <Stack gap={4}>
          <Text size="sm">
            <Text span fw={500} size="sm">
              Columns used:
            </Text>{' '}
            {columns.used.map((c, i) => (
              <span key={c}>
                {i > 0 ? ' ' : ''}
                <Code>{c}</Code>
              </span>
            ))}
          </Text>
          {columns.ignored.length > 0 ? (
            <Alert color="yellow" variant="light" icon={<IconAlertTriangle aria-hidden />} p="xs" title="Ignored columns">
              <Text size="sm">
                {columns.ignored.map((c, i) => (
                  <span key={`${c}-${i}`}>
                    {i > 0 ? ' ' : ''}
                    <Code>{c}</Code>
                  </span>
                ))}{' '}
                {columns.ignored.length === 1 ? 'is not a column Baton knows; it is' : 'are not columns Baton knows; they are'} not
                imported. Check the spelling if {columns.ignored.length === 1 ? 'it' : 'they'} should be.
              </Text>
            </Alert>
          ) : null}
        </Stack>

        {/* narrow screens scroll the filter sideways */}
        <ScrollArea type="auto" scrollbarSize={6} offsetScrollbars="x">
          <SegmentedControl
            aria-label="Show rows"
            value={filter}
            onChange={changeFilter}
            data={[
              { value: 'all', label: `All (${summary.total})` },
              { value: 'ready', label: `Ready (${summary.ready})` },
              { value: 'invalid', label: `Invalid (${summary.invalid})` },
              { value: 'duplicate', label: `Duplicate (${summary.duplicate})` },
            ]}
          />
        </ScrollArea>

        {rows.length === 0 ? (
          <Group gap="xs" justify="center" py="lg" c="dimmed">
            <IconFilterOff size={18} aria-hidden />
            <Text size="sm" c="dimmed">
              No {filter === 'duplicate' ? 'duplicate' : filter} rows.
            </Text>
            <Button size="compact-sm" variant="subtle" onClick={() => changeFilter('all')}>
              Show all rows
            </Button>
          </Group>
        ) : (
          <>
            <PreviewTable rows={pageOf(rows, page)} orderPath={orderPath} />
            <RowsPagination page={page} total={rows.length} onChange={setPage} label="Pages of the checked rows" topId="import-preview-title" />
          </>
        )}
      </Stack>
    </Paper>
  );
}

function PreviewTable({ rows, orderPath }: { rows: PreviewRow[]; orderPath: (shortId: string) => string }) {
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table verticalSpacing="xs" aria-label="Rows of the file">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={60}>
              Line
            </Table.Th>
            <Table.Th scope="col">Reference</Table.Th>
            <Table.Th scope="col">Pickup</Table.Th>
            <Table.Th scope="col">Dropoff</Table.Th>
            <Table.Th scope="col">Recipient</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col" w="28%">
              Problems
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => {
            const s = PREVIEW_STATUS[r.status] ?? { label: r.status, color: 'gray' };
            return (
              <Table.Tr key={r.line} bg={r.status === 'invalid' ? 'var(--mantine-color-red-light)' : undefined}>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {r.line}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={r.reference ? undefined : 'dimmed'} truncate="end" maw={160}>
                    {r.reference ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td maw={220}>
                  <Text size="sm" lineClamp={2}>
                    {r.pickup || '—'}
                  </Text>
                </Table.Td>
                <Table.Td maw={220}>
                  <Text size="sm" lineClamp={2}>
                    {r.dropoff || '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{r.recipient || '—'}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={s.color} variant="light" tt="none" style={{ minWidth: 'max-content' }}>
                    {s.label}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <RowProblems row={r} orderPath={orderPath} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function RowProblems({ row, orderPath }: { row: PreviewRow; orderPath: (shortId: string) => string }) {
  if (row.status === 'duplicate' && row.duplicateOf) {
    const { orderShortId, line } = row.duplicateOf;
    if (orderShortId) {
      return (
        <Text size="sm">
          Already imported as order{' '}
          <Anchor component={Link} to={orderPath(orderShortId)} ff="monospace" fw={600}>
            {orderShortId}
          </Anchor>
        </Text>
      );
    }
    if (line) return <Text size="sm">Same as line {line}</Text>;
  }
  if (row.problems.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      {row.problems.map((p, i) => {
        const column = problemColumn(p.field);
        return (
          <Text size="sm" key={i} c="red.9">
            {column ? (
              <>
                <Code>{column}</Code>{' '}
              </>
            ) : null}
            {p.message}
          </Text>
        );
      })}
    </Stack>
  );
}
