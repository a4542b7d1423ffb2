"""atrest's local AWS: moto in server mode, plus extensions that make it follow the AWS documentation
where atrest's behaviour depends on a moto gap, a request log for counting calls, and a fault layer."""
