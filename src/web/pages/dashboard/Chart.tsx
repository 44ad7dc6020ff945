import { Skeleton } from 'antd';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { useEffect, useRef, useState } from 'react';

/** ECharts arrives on first use, in its own chunk: the rest of the app does not wait for it. */
const loadECharts = () => import('./echarts').then((m) => m.echarts);

/** One chart: created when ECharts has loaded, given each new option, resized with its box, disposed on unmount. */
export function Chart({ option, height = 300, testId }: { option: EChartsCoreOption; height?: number; testId: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    void loadECharts().then((echarts) => {
      if (disposed || !box.current) return;
      chart.current = echarts.init(box.current);
      observer = new ResizeObserver(() => chart.current?.resize());
      observer.observe(box.current);
      setReady(true);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (ready) chart.current?.setOption(option, { notMerge: true });
  }, [ready, option]);

  return (
    <div style={{ position: 'relative', height }}>
      {!ready && <Skeleton active style={{ position: 'absolute' }} />}
      <div ref={box} data-testid={testId} style={{ height, width: '100%' }} />
    </div>
  );
}
