public enum VersusPublishPlaceholder {}
