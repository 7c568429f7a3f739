import { Group, Pagination, Text } from '@mantine/core';

export const ROWS_PER_PAGE = 50;

/** The page of a long list of rows, with what it shows ("Rows 51–100 of 240"). */
export function RowsPagination({
  page,
  total,
  onChange,
  label,
  topId,
}: {
  page: number;
  total: number;
  onChange: (page: number) => void;
  label: string;
  /** the element to bring back into view when the page changes (the table's heading) */
  topId?: string;
}) {
  const pages = Math.ceil(total / ROWS_PER_PAGE);
  if (pages <= 1) return null;
  const from = (page - 1) * ROWS_PER_PAGE + 1;
  const to = Math.min(total, page * ROWS_PER_PAGE);
  return (
    <Group justify="space-between" gap="sm" component="nav" aria-label={label}>
      <Text size="sm" c="dimmed">
        Rows {from}–{to} of {total}
      </Text>
      <Pagination
        value={page}
        onChange={(p) => {
          onChange(p);
          if (topId) document.getElementById(topId)?.scrollIntoView({ block: 'start' });
        }}
        total={pages}
        size="sm"
        getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
        getControlProps={(control) => ({
          'aria-label': { first: 'First page', previous: 'Previous page', next: 'Next page', last: 'Last page' }[control],
        })}
      />
    </Group>
  );
}

export const pageOf = <T,>(items: T[], page: number) => items.slice((page - 1) * ROWS_PER_PAGE, page * ROWS_PER_PAGE);
