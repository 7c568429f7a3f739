import { Alert, Anchor, Badge, Button, Group, Paper, Progress, ScrollArea, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconFileImport, IconFileUnknown, IconList } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { isApiError } from '../../../lib/api.ts';
import { notifySuccess } from '../../../lib/notify.ts';
import { importJobQuery, jobFinished, useRefreshAfterImport, type ImportJob, type ImportJobRow } from '../api/imports.ts';
import { plural, RESULT_STATUS } from '../lib/labels.ts';
import { pageOf, RowsPagination } from './RowsPagination.tsx';

interface Links {
  orderPath: (shortId: string) => string;
  ordersPath: string;
  onImportAnother: () => void;
}

/** Step three: the import's progress, polled every second, then what became of each row. */
export function ImportJobView({ jobId, ...links }: { jobId: string } & Links) {
  const job = useQuery(importJobQuery(jobId));
  const refresh = useRefreshAfterImport();
  const sawRunning = useRef(false);
  const finished = jobFinished(job.data);

  useEffect(() => {
    if (!job.data) return;
    if (!finished) {
      sawRunning.current = true;
      return;
    }
    void refresh();
    if (sawRunning.current) {
      sawRunning.current = false;
      const { created, duplicates, failed } = job.data;
      notifySuccess(
        [plural(created, 'order') + ' created', duplicates ? `${duplicates.toLocaleString()} already imported` : '', failed ? `${failed.toLocaleString()} failed` : '']
          .filter(Boolean)
          .join(', ') + '.',
        'Import finished',
      );
    }
  }, [finished, job.data?.id]);

  if (job.isError && (isApiError(job.error, 404) || isApiError(job.error, 400))) {
    return (
      <EmptyState
        icon={<IconFileUnknown size={28} aria-hidden />}
        title="Import not found"
        action={
          <Button variant="light" onClick={links.onImportAnother}>
            Import a file
          </Button>
        }
      >
        There is no import at this address. It may be a mistyped link, or another account's import.
      </EmptyState>
    );
  }

  return (
    <QueryState query={job} loadingLabel="Loading the import…" errorTitle="Could not load the import">
      {(data) => <JobDetails job={data} {...links} />}
    </QueryState>
  );
}

function JobDetails({ job, orderPath, ordersPath, onImportAnother }: { job: ImportJob } & Links) {
  const finished = jobFinished(job);
  const percent = job.total > 0 ? Math.round((job.processed / job.total) * 100) : finished ? 100 : 0;
  const title = !finished ? 'Importing orders…' : job.status === 'completedWithErrors' ? 'Import finished with errors' : 'Import finished';

  return (
    <Stack gap="lg">
      <Paper p="lg" radius="md" component="section" aria-labelledby="import-progress-title">
        <Stack gap="md">
          <Group justify="space-between" align="center">
            <Title order={2} fz="lg" id="import-progress-title">
              {title}
            </Title>
            {finished ? (
              <Group gap="sm">
                <Button variant="default" leftSection={<IconFileImport size={16} aria-hidden />} onClick={onImportAnother}>
                  Import another file
                </Button>
                <Button component={Link} to={ordersPath} leftSection={<IconList size={16} aria-hidden />}>
                  View orders
                </Button>
              </Group>
            ) : null}
          </Group>
          <Progress
            value={percent}
            size="xl"
            radius="md"
            color={finished ? (job.failed > 0 ? 'orange' : 'green') : undefined}
            striped={!finished}
            animated={!finished}
            aria-label="Import progress"
          />
          <Group justify="space-between" gap="sm">
            <Text size="sm" aria-live="polite" fw={500}>
              {job.processed.toLocaleString()} of {plural(job.total, 'row')} processed
            </Text>
            <Group gap="xs">
              <Badge color="green" variant="light" tt="none">
                {job.created.toLocaleString()} created
              </Badge>
              <Badge color="gray" variant="light" tt="none">
                {job.duplicates.toLocaleString()} already imported
              </Badge>
              <Badge color="red" variant="light" tt="none">
                {job.failed.toLocaleString()} failed
              </Badge>
            </Group>
          </Group>
          {!finished ? (
            <Text size="sm" c="dimmed">
              The import runs on the server: you may leave this page, it goes on.
            </Text>
          ) : job.failed > 0 ? (
            <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title={`${plural(job.failed, 'row')} not imported`}>
              Fix {job.failed === 1 ? 'it' : 'them'} in your file and import it again: rows already imported are skipped, so
              nothing is created twice.
            </Alert>
          ) : (
            <Alert color="green" variant="light" icon={<IconCircleCheck aria-hidden />} title="All done">
              {job.created > 0
                ? `${plural(job.created, 'new order')} ${job.created === 1 ? 'is' : 'are'} waiting to be dispatched.`
                : 'Every row had been imported before; no order was created.'}
            </Alert>
          )}
        </Stack>
      </Paper>
      {finished ? <JobResults job={job} orderPath={orderPath} /> : null}
    </Stack>
  );
}

type ResultFilter = 'all' | ImportJobRow['status'];

function JobResults({ job, orderPath }: { job: ImportJob; orderPath: (shortId: string) => string }) {
  const [filter, setFilter] = useState<ResultFilter>('all');
  const [page, setPage] = useState(1);
  const rows = filter === 'all' ? job.rows : job.rows.filter((r) => r.status === filter);

  return (
    <Paper p="lg" radius="md" component="section" aria-labelledby="import-results-title">
      <Stack gap="md">
        <Title order={2} fz="lg" id="import-results-title">
          Results
        </Title>
        {/* narrow screens scroll the filter sideways */}
        <ScrollArea type="auto" scrollbarSize={6} offsetScrollbars="x">
          <SegmentedControl
            aria-label="Show results"
            value={filter}
            onChange={(v) => {
              setFilter(v as ResultFilter);
              setPage(1);
            }}
            data={[
              { value: 'all', label: `All (${job.rows.length})` },
              { value: 'created', label: `Created (${job.created})` },
              { value: 'duplicate', label: `Already imported (${job.duplicates})` },
              { value: 'failed', label: `Failed (${job.failed})` },
            ]}
          />
        </ScrollArea>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed" ta="center" py="md">
            No rows here.
          </Text>
        ) : (
          <>
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="xs" aria-label="What became of each row">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col" w={60}>
                      Line
                    </Table.Th>
                    <Table.Th scope="col" w={160}>
                      Result
                    </Table.Th>
                    <Table.Th scope="col">Order or error</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {pageOf(rows, page).map((r) => {
                    const s = RESULT_STATUS[r.status] ?? { label: r.status, color: 'gray' };
                    return (
                      <Table.Tr key={r.line}>
                        <Table.Td>
                          <Text size="sm" ff="monospace">
                            {r.line}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge color={s.color} variant="light" tt="none" style={{ minWidth: 'max-content' }}>
                            {s.label}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          {r.orderShortId ? (
                            <Text size="sm">
                              {r.status === 'duplicate' ? 'Already imported as order ' : 'Order '}
                              <Anchor component={Link} to={orderPath(r.orderShortId)} ff="monospace" fw={600}>
                                {r.orderShortId}
                              </Anchor>
                            </Text>
                          ) : (
                            <Text size="sm" c={r.error ? 'red.9' : 'dimmed'}>
                              {r.error ?? '—'}
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <RowsPagination page={page} total={rows.length} onChange={setPage} label="Pages of the results" topId="import-results-title" />
          </>
        )}
      </Stack>
    </Paper>
  );
}
