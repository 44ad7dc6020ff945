import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { api } from '../api/client';
import type { CountedPage, User } from '../api/types';
import { RemoteSelect, type RemoteOption, type RemoteSelectProps } from './RemoteSelect';

const toOption = (u: User): RemoteOption => ({ value: u.id, label: `${u.name} · ${u.departmentName}` });

/** Looks one user up; shared with the change log, which shows names for ids. */
export const fetchUser = (id: number) => api.get<User>(`/users/${id}`);

/** Picks an active user by name, mobile or e-mail. */
export function UserSelect(props: RemoteSelectProps) {
  return (
    <RemoteSelect
      {...props}
      queryKey="users"
      search={(q) => api.get<CountedPage<User>>('/users', { q, status: 'active', limit: 20 }).then((p) => p.items.map(toOption))}
      resolve={(id) => fetchUser(id).then(toOption)}
    />
  );
}

/** Picks several active users (the company's first 200 by name; type to filter). */
export function UserMultiSelect({ value, onChange, ...rest }: { value?: number[]; onChange?: (v: number[]) => void; placeholder?: string; id?: string; 'aria-label'?: string }) {
  const users = useQuery({
    queryKey: ['users', 'active-all'],
    queryFn: () => api.get<CountedPage<User>>('/users', { status: 'active', limit: 200 }).then((p) => p.items.map(toOption)),
    staleTime: 60_000,
  });
  return (
    <Select<number[]>
      {...rest}
      mode="multiple"
      value={value ?? []}
      onChange={(v) => onChange?.(v)}
      options={users.data ?? []}
      loading={users.isPending}
      optionFilterProp="label"
      style={{ width: '100%' }}
    />
  );
}
