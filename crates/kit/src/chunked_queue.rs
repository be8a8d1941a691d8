//! A first-in first-out queue kept in fixed-size chunks: it grows by a chunk, where a
//! `VecDeque` grows by copying every entry to an allocation twice its size (1 ms at 131,072
//! CreateJob tokens, under the job table's write lock).

use std::collections::VecDeque;

/// Entries per chunk.
const CHUNK: usize = 4096;

/// A queue of `T`s in chunks of [`CHUNK`].
pub struct ChunkedQueue<T> {
    /// Each chunk allocated at its full size, so none grows; the first may have been
    /// emptied from its front.
    chunks: VecDeque<VecDeque<T>>,
}

impl<T> Default for ChunkedQueue<T> {
    fn default() -> Self {
        ChunkedQueue {
            chunks: VecDeque::new(),
        }
    }
}

impl<T> ChunkedQueue<T> {
    /// Adds `value` at the back.
    pub fn push_back(&mut self, value: T) {
        match self.chunks.back_mut() {
            Some(last) if last.len() < CHUNK => last.push_back(value),
            _ => {
                let mut chunk = VecDeque::with_capacity(CHUNK);
                chunk.push_back(value);
                self.chunks.push_back(chunk);
            }
        }
    }

    /// The oldest entry.
    pub fn front(&self) -> Option<&T> {
        self.chunks.front()?.front()
    }

    /// Takes the oldest entry out.
    pub fn pop_front(&mut self) -> Option<T> {
        let first = self.chunks.front_mut()?;
        let value = first.pop_front();
        if first.is_empty() {
            self.chunks.pop_front();
        }
        value
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.chunks.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn len<T>(q: &ChunkedQueue<T>) -> usize {
        q.chunks.iter().map(VecDeque::len).sum()
    }

    #[test]
    fn entries_come_out_in_the_order_they_went_in_across_chunks() {
        let mut q = ChunkedQueue::default();
        assert!(q.chunks.is_empty() && q.front().is_none() && q.pop_front().is_none());
        let n = 3 * CHUNK + 17;
        for i in 0..n {
            q.push_back(i);
        }
        assert_eq!((len(&q), q.chunks.len()), (n, 4));
        for i in 0..CHUNK + 5 {
            assert_eq!(q.front(), Some(&i));
            assert_eq!(q.pop_front(), Some(i));
        }
        // Pushed while the front chunk empties: still in order behind the rest.
        for i in n..n + CHUNK {
            q.push_back(i);
        }
        assert_eq!(len(&q), n - CHUNK - 5 + CHUNK);
        // No chunk ever grows past its first allocation.
        assert!(q.chunks.iter().all(|c| c.capacity() == CHUNK));
        let rest: Vec<usize> = std::iter::from_fn(|| q.pop_front()).collect();
        assert_eq!(rest, (CHUNK + 5..n + CHUNK).collect::<Vec<_>>());
        // An emptied chunk is let go: none is kept empty.
        assert!(q.chunks.is_empty());
        q.push_back(1);
        q.clear();
        assert!(q.chunks.is_empty() && q.front().is_none());
    }
}
