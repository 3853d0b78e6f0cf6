//! `PUT /room/R` (admins): the room's metadata and default permissions.

use serde_json::{Map, Value};

/// What to change in a room; `None` fields stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RoomUpdate {
    /// A new display name.
    pub name: Option<String>,
    /// A new description; `Some(None)` removes it.
    pub description: Option<Option<String>>,
    /// The file id (uploaded to this room) of a new room image.
    pub image: Option<u64>,
    /// Default read permission.
    pub default_read: Option<bool>,
    /// Default accessibility.
    pub default_accessible: Option<bool>,
    /// Default write permission.
    pub default_write: Option<bool>,
    /// Default upload permission.
    pub default_upload: Option<bool>,
}

impl RoomUpdate {
    /// Renames the room.
    #[must_use]
    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.to_owned());
        self
    }

    /// Sets (`Some`) or removes (`None`) the description.
    #[must_use]
    pub fn description(mut self, description: Option<&str>) -> Self {
        self.description = Some(description.map(str::to_owned));
        self
    }

    /// Sets the room image.
    #[must_use]
    pub fn image(mut self, file_id: u64) -> Self {
        self.image = Some(file_id);
        self
    }

    /// Sets the default write permission.
    #[must_use]
    pub fn default_write(mut self, allow: bool) -> Self {
        self.default_write = Some(allow);
        self
    }

    /// Whether nothing would change (the server refuses an empty update).
    pub fn is_empty(&self) -> bool {
        self.to_map().is_empty()
    }

    /// The JSON body.
    pub(crate) fn to_map(&self) -> Map<String, Value> {
        let mut map = Map::new();
        if let Some(name) = &self.name {
            map.insert("name".into(), Value::from(name.clone()));
        }
        if let Some(description) = &self.description {
            map.insert(
                "description".into(),
                description.clone().map_or(Value::Null, Value::from),
            );
        }
        if let Some(image) = self.image {
            map.insert("image".into(), Value::from(image));
        }
        for (key, value) in [
            ("default_read", self.default_read),
            ("default_accessible", self.default_accessible),
            ("default_write", self.default_write),
            ("default_upload", self.default_upload),
        ] {
            if let Some(value) = value {
                map.insert(key.into(), Value::Bool(value));
            }
        }
        map
    }
}
