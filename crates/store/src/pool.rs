//! Idle reader connections kept for reuse, the same for every backend (a
//! connection is the backend's own type: the pool never looks inside).

use std::sync::Mutex;

use polytm_core::{Error, Result};

/// At most `max` idle connections of type `C`.
pub struct Pool<C> {
    idle: Mutex<Vec<C>>,
    max: usize,
}

impl<C> Pool<C> {
    pub fn new(max: usize) -> Pool<C> {
        Pool {
            idle: Mutex::new(Vec::new()),
            max,
        }
    }

    /// An idle connection, or a new one from `open`.
    pub fn take(&self, open: impl FnOnce() -> Result<C>) -> Result<C> {
        if let Some(c) = self.idle.lock().map_err(poisoned)?.pop() {
            return Ok(c);
        }
        open()
    }

    /// Keep `c` for the next reader; a full or poisoned pool closes it.
    pub fn give_back(&self, c: C) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < self.max
        {
            idle.push(c);
        }
    }

    /// Call `f` with each idle connection.
    pub fn for_each_idle(&self, mut f: impl FnMut(&C)) {
        if let Ok(idle) = self.idle.lock() {
            idle.iter().for_each(&mut f);
        }
    }

    /// Every idle connection, taken out (to close them in a chosen place).
    pub fn drain(&mut self) -> Vec<C> {
        match self.idle.get_mut() {
            Ok(idle) => std::mem::take(idle),
            Err(e) => std::mem::take(e.into_inner()),
        }
    }
}

/// The error of a lock that a panic left poisoned.
pub fn poisoned<T>(_: T) -> Error {
    Error::Db {
        file: String::new(),
        msg: "an earlier failure left the database connection unusable".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_connections_are_reused_up_to_the_limit() {
        let pool: Pool<u32> = Pool::new(2);
        let mut opened = 0;
        let mut open = || -> Result<u32> {
            opened += 1;
            Ok(opened)
        };
        let (a, b, c) = (
            pool.take(&mut open).unwrap(),
            pool.take(&mut open).unwrap(),
            pool.take(&mut open).unwrap(),
        );
        assert_eq!((a, b, c), (1, 2, 3));
        for x in [a, b, c] {
            pool.give_back(x);
        }
        // the third was closed: two come back, then a new one
        let again: Vec<u32> = (0..3).map(|_| pool.take(&mut open).unwrap()).collect();
        assert_eq!(again, [2, 1, 4]);
    }
}
