//! A short list kept on the stack, spilling to the heap only past its inline room: for the
//! per-request lists that are nearly always short (a path's segments, a structure's present
//! members), whose vectors were an allocation on every request.

/// Up to `N` items inline, then all of them in a `Vec`.
pub(crate) struct InlineVec<T, const N: usize> {
    inline: [T; N],
    len: usize,
    spilled: Vec<T>,
}

impl<T: Default, const N: usize> Default for InlineVec<T, N> {
    fn default() -> Self {
        InlineVec {
            inline: std::array::from_fn(|_| T::default()),
            len: 0,
            spilled: Vec::new(),
        }
    }
}

impl<T: Default, const N: usize> InlineVec<T, N> {
    /// Appends an item.
    pub(crate) fn push(&mut self, item: T) {
        if self.len < N {
            self.inline[self.len] = item;
        } else {
            if self.spilled.is_empty() {
                self.spilled.reserve(N + 1);
                self.spilled
                    .extend(self.inline.iter_mut().map(std::mem::take));
            }
            self.spilled.push(item);
        }
        self.len += 1;
    }

    /// How many items it holds.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The items in order.
    pub(crate) fn as_slice(&self) -> &[T] {
        if self.len <= N {
            &self.inline[..self.len]
        } else {
            &self.spilled
        }
    }

    /// The items in order, to change.
    pub(crate) fn as_mut_slice(&mut self) -> &mut [T] {
        if self.len <= N {
            &mut self.inline[..self.len]
        } else {
            &mut self.spilled
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_items_in_order_inline_and_spilled() {
        for n in [0, 1, 3, 4, 5, 9, 40] {
            let mut v: InlineVec<usize, 4> = InlineVec::default();
            for i in 0..n {
                v.push(i * 10);
            }
            let want: Vec<usize> = (0..n).map(|i| i * 10).collect();
            assert_eq!((v.as_slice(), v.len()), (want.as_slice(), n), "{n}");
            assert_eq!(v.spilled.is_empty(), n <= 4, "{n}");
            v.as_mut_slice().reverse();
            assert!(v.as_slice().iter().rev().eq(want.iter()), "{n}");
        }
    }
}
