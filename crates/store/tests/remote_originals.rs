//! Originals in a bucket of a real S3 server (s3s-fs over a folder, started by
//! `scripts/test.sh`): what one machine keeps is in the bucket once it syncs, another
//! machine with an empty cache reads it from there, and an object changed in the bucket
//! is refused, not used. Skips without `TROVE_TEST_S3_ENDPOINT`.

use trove_store::testing::TestBucket;
use trove_store::{BlobStore, hash_bytes};

#[test]
fn kept_originals_reach_the_bucket_and_other_machines_read_them_from_there() {
    let Some(bucket) = TestBucket::create() else {
        return;
    };
    let here = tempfile::tempdir().unwrap();
    let there = tempfile::tempdir().unwrap();
    let writer = BlobStore::open(here.path())
        .unwrap()
        .with_remote(bucket.open());
    let reader = BlobStore::open(there.path())
        .unwrap()
        .with_remote(bucket.open());

    // A small original, and one larger than an upload part (sent in parts).
    let small = b"a police register, row 1".to_vec();
    let large: Vec<u8> = (0..20_000_000u32).map(|i| (i % 251) as u8).collect();
    let mut ids = Vec::new();
    for bytes in [&small, &large] {
        let hashes = hash_bytes(bytes);
        writer.put(&hashes, bytes).unwrap();
        ids.push(hashes.blake3);
    }
    let streamed = writer
        .put_reader(&b"streamed in"[..], std::path::Path::new("member.txt"))
        .unwrap();
    ids.push(streamed.hashes.blake3.clone());
    assert!(
        !bucket.open().contains(&ids[0]).unwrap(),
        "nothing is sent before the sync"
    );
    writer.sync().unwrap();
    for id in &ids {
        assert!(bucket.open().contains(id).unwrap(), "{id} is in the bucket");
        assert!(bucket.object_file(id).is_file());
    }

    assert!(
        !reader.contains(&ids[1]),
        "the other machine's cache is empty"
    );
    assert_eq!(reader.read(&ids[0]).unwrap(), small);
    assert_eq!(reader.read(&ids[1]).unwrap(), large, "fetched whole");
    assert!(reader.contains(&ids[1]), "and kept in its cache");
    let rehashed = reader.rehash(&ids[1]).unwrap().unwrap();
    assert_eq!(
        rehashed,
        hash_bytes(&large),
        "the bucket's copy hashes to its name"
    );

    // Changed in the bucket behind trove's back: refused when fetched, caught by rehash.
    let object = bucket.object_file(&ids[2]);
    std::fs::write(&object, b"streamed in, then altered").unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let third = BlobStore::open(elsewhere.path())
        .unwrap()
        .with_remote(bucket.open());
    let refused = third.read(&ids[2]).unwrap_err().to_string();
    assert!(refused.contains("it was changed there"), "{refused}");
    assert!(
        !third.contains(&ids[2]),
        "a changed object never enters a cache"
    );
    assert_ne!(third.rehash(&ids[2]).unwrap().unwrap().blake3, ids[2]);

    // Missing from the bucket: said plainly.
    std::fs::remove_file(bucket.object_file(&ids[0])).unwrap();
    assert_eq!(third.rehash(&ids[0]).unwrap(), None);
    let missing = third.read(&ids[0]).unwrap_err().to_string();
    assert!(missing.contains("is not in the bucket"), "{missing}");
}

#[test]
fn an_unreachable_bucket_fails_the_sync_and_keeps_the_blob_due() {
    let Some(bucket) = TestBucket::create() else {
        return;
    };
    let settings = [
        ("aws_endpoint", "http://127.0.0.1:9".to_owned()),
        ("aws_access_key_id", "nobody".to_owned()),
        ("aws_secret_access_key", "nothing".to_owned()),
        ("aws_region", "us-east-1".to_owned()),
        ("aws_allow_http", "true".to_owned()),
    ];
    let nowhere = trove_store::RemoteOriginals::configured(&bucket.url(), &settings).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let blobs = BlobStore::open(dir.path()).unwrap().with_remote(nowhere);
    let bytes = b"kept while the bucket is down";
    blobs.put(&hash_bytes(bytes), bytes).unwrap();
    let id = hash_bytes(bytes).blake3;
    let error = blobs.sync().unwrap_err().to_string();
    assert!(error.contains(&bucket.url()), "{error}");
    assert!(
        error.contains(&format!("original {id}")),
        "names the original: {error}"
    );
    // Still due: the next sync tries it again rather than forgetting it.
    let again = blobs.sync().unwrap_err().to_string();
    assert!(again.contains(&format!("original {id}")), "{again}");
}

#[test]
fn a_copy_changed_in_the_folder_is_never_uploaded() {
    let Some(bucket) = TestBucket::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let blobs = BlobStore::open(dir.path())
        .unwrap()
        .with_remote(bucket.open());
    let bytes = b"a register as it was leaked";
    let hashes = hash_bytes(bytes);
    blobs.put(&hashes, bytes).unwrap();
    // Changed in this machine's folder before it was sent (kept read-only, so made
    // writable first, as someone with the folder could).
    let path = blobs.path_of(&hashes.blake3);
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    std::fs::write(&path, b"a register as someone wished it").unwrap();
    let refused = blobs.sync().unwrap_err().to_string();
    assert!(
        refused.contains("it was changed in this folder"),
        "{refused}"
    );
    assert!(!bucket.open().contains(&hashes.blake3).unwrap());
    assert!(!bucket.object_file(&hashes.blake3).exists());
}
