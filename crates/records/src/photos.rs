//! Mugshots to persons: a photo whose file name or EXIF text holds a resident ID number is
//! linked to the person with that number.

use serde::Serialize;

use crate::resident_id::find_ids;

/// A resident ID number found on a photo, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhotoLink {
    /// The valid 18-character number, in canonical form (upper-case `X`).
    pub id_number: String,
    /// `file name` or the EXIF field it was read from.
    pub via: String,
}

/// The ID numbers a photo carries in the file names of `paths` (the last component of each
/// path, inside archives too) or in its EXIF texts `(field, text)`; each number once.
pub fn photo_links(paths: &[String], exif_texts: &[(&str, &str)]) -> Vec<PhotoLink> {
    let mut links: Vec<PhotoLink> = Vec::new();
    let mut add = |id_number: String, via: &str| {
        if !links.iter().any(|l| l.id_number == id_number) {
            links.push(PhotoLink {
                id_number,
                via: via.to_owned(),
            });
        }
    };
    for path in paths {
        let name = path.rsplit(['/', '!']).next().unwrap_or(path);
        for id in find_ids(name) {
            add(id, "file name");
        }
    }
    for (field, text) in exif_texts {
        for id in find_ids(text) {
            add(id, field);
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_and_exif_texts_link_once_each() {
        let paths = vec![
            "照片/653121199001010027.jpg".to_owned(),
            "备份.zip!/653121199001010027.jpg".to_owned(),
        ];
        let links = photo_links(&paths, &[("ImageDescription", "653121199001010035 在押")]);
        let ids: Vec<&str> = links.iter().map(|l| l.id_number.as_str()).collect();
        assert_eq!(ids, vec!["653121199001010027", "653121199001010035"]);
        assert_eq!(links[1].via, "ImageDescription");
    }

    #[test]
    fn folder_names_do_not_link() {
        let paths = vec!["653121199001010027/photo.jpg".to_owned()];
        assert!(photo_links(&paths, &[]).is_empty());
    }
}
