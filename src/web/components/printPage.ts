import { useEffect, useRef } from 'react';

/**
 * For a print view: the paper size of its pages (CSS `@page`, which cannot come
 * from a stylesheet when each view has its own size), and the print dialog once,
 * as soon as the content is there.
 */
export function usePrintPage(size: string | undefined, margin: string, ready: boolean): void {
  useEffect(() => {
    if (!size) return;
    const style = document.createElement('style');
    style.textContent = `@page { size: ${size}; margin: ${margin}; }`;
    document.head.appendChild(style);
    return () => style.remove();
  }, [size, margin]);
  const printed = useRef(false);
  useEffect(() => {
    if (!ready || printed.current) return;
    // after the browser has laid the content out
    const timer = setTimeout(() => {
      printed.current = true;
      window.print();
    }, 300);
    return () => clearTimeout(timer);
  }, [ready]);
}
