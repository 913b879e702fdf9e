import { useEffect, useState } from 'react';

/** Phone-sized screen (≤ 768 px): cards instead of tables, the bottom bar instead of the side menu. */
export function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => matchMedia('(max-width: 768px)').matches);
  useEffect(() => {
    const m = matchMedia('(max-width: 768px)');
    const on = () => setNarrow(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return narrow;
}
