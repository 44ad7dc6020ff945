import { App } from 'antd';
import { useState } from 'react';
import { useShowError } from './form';

/**
 * Actions outside a form (save, delete, move, switch on/off), one at a time:
 * `running` names the one under way, for its spinner and to hold the others
 * back; a toast says when it is done, or the error shows. `settle` runs after
 * each, failed or not: a half-done move has changed the list all the same.
 */
export function useAction(settle?: () => Promise<unknown>) {
  const { message } = App.useApp();
  const showError = useShowError();
  const [running, setRunning] = useState<string | null>(null);
  const run = async (key: string, work: () => Promise<unknown>, done: string) => {
    setRunning(key);
    try {
      await work();
      message.success(done);
    } catch (err) {
      showError(err);
    } finally {
      await settle?.();
      setRunning(null);
    }
  };
  return { running, run };
}
