// CLI module
